// Runs one task at a time per key, so two messages from one person never race on their session.
export class KeyedLock {
  /** Per key, a promise that settles when the last task queued for it has; none when idle. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let result: Promise<T>;
    if (previous) result = previous.then(task);
    else {
      // Nearly always nobody is ahead: start at once rather than a microtask later.
      try {
        result = task();
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    const settled = (): void => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    const tail: Promise<void> = result.then(settled, settled);
    this.tails.set(key, tail);
    return result;
  }
}
