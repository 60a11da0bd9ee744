// Paced sending. Unofficial WhatsApp clients get numbers banned for spam-like bursts, so every send
// waits at least `chatIntervalMs` after the last one to the same chat and `globalIntervalMs` after
// any send. One queue, one send at a time, order kept within each chat; a chat that must wait does
// not hold up the others. Nothing is dropped: a failed send is retried (with a growing pause) up to
// `attempts` times, then reported to onFailure and given up. Nothing here ever throws.

export interface Clock {
  /** Milliseconds, as Date.now(). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PacerOptions {
  chatIntervalMs: number;
  globalIntervalMs: number;
  send(chatId: string, text: string): Promise<unknown>;
  clock?: Clock;
  /** Tries per message, the first included (default 3). */
  attempts?: number;
  /** Pause before the first retry of a message, doubled for each next one (default 2 s). */
  retryDelayMs?: number;
  /** Told about each failed try; `final` when the message is given up. */
  onFailure?(failure: { chatId: string; error: unknown; attempt: number; final: boolean }): void;
}

export interface Pacer {
  /** Queues the texts for the chat, in order; resolves once each was sent or given up. Never rejects. */
  enqueue(chatId: string, texts: string[]): Promise<void>;
  /** Resolves when nothing is queued or being sent. */
  idle(): Promise<void>;
  /** Messages queued and not yet sent or given up. */
  pending(): number;
}

interface Job {
  chatId: string;
  text: string;
  tries: number;
  notBefore: number;
  done: () => void;
}

/** Above this many remembered chats, those whose interval is over are forgotten. */
const PRUNE_AT = 1000;

export function createPacer(options: PacerOptions): Pacer {
  const clock = options.clock ?? realClock;
  const attempts = Math.max(1, options.attempts ?? 3);
  const retryDelayMs = options.retryDelayMs ?? 2000;
  const queue: Job[] = [];
  const lastToChat = new Map<string, number>();
  let lastSend = Number.NEGATIVE_INFINITY;
  let running = false;
  let idleWaiters: (() => void)[] = [];
  /** Wakes a waiting worker early when a message is queued: it may be able to go sooner. */
  let wake: (() => void) | undefined;

  const readyAt = (job: Job) =>
    Math.max(job.notBefore, lastSend + options.globalIntervalMs, (lastToChat.get(job.chatId) ?? Number.NEGATIVE_INFINITY) + options.chatIntervalMs);

  /** The head of each chat's line that may go first (the earliest queued wins a tie). */
  function next(): { job: Job; at: number } | undefined {
    const seen = new Set<string>();
    let best: { job: Job; at: number } | undefined;
    for (const job of queue) {
      if (seen.has(job.chatId)) continue;
      seen.add(job.chatId);
      const at = readyAt(job);
      if (!best || at < best.at) best = { job, at };
    }
    return best;
  }

  const finish = (job: Job) => {
    queue.splice(queue.indexOf(job), 1);
    job.done();
  };

  const report = (failure: Parameters<NonNullable<PacerOptions['onFailure']>>[0]) => {
    try {
      options.onFailure?.(failure);
    } catch {
      // A reporter that throws must not stop the queue.
    }
  };

  function prune(now: number) {
    if (lastToChat.size <= PRUNE_AT) return;
    for (const [chatId, at] of lastToChat) if (now - at >= options.chatIntervalMs) lastToChat.delete(chatId);
  }

  async function run(): Promise<void> {
    running = true;
    try {
      for (let step = next(); step; step = next()) {
        const wait = step.at - clock.now();
        if (wait > 0) {
          // Another chat's message may be queued meanwhile and go first: choose again after.
          await Promise.race([clock.sleep(wait), new Promise<void>((resolve) => (wake = resolve))]);
          wake = undefined;
          continue;
        }
        const { job } = step;
        const sentAt = clock.now();
        lastSend = sentAt;
        lastToChat.set(job.chatId, sentAt);
        job.tries += 1;
        try {
          await options.send(job.chatId, job.text);
          finish(job);
        } catch (error) {
          const final = job.tries >= attempts;
          report({ chatId: job.chatId, error, attempt: job.tries, final });
          if (final) finish(job);
          else job.notBefore = clock.now() + retryDelayMs * 2 ** (job.tries - 1);
        }
        prune(sentAt);
      }
    } catch (error) {
      // Only a broken clock gets here: give up what is queued rather than hang or crash.
      for (const job of [...queue]) {
        report({ chatId: job.chatId, error, attempt: job.tries, final: true });
        finish(job);
      }
    } finally {
      running = false;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  return {
    enqueue(chatId, texts) {
      const done = texts.map(
        (text) =>
          new Promise<void>((resolve) => {
            queue.push({ chatId, text, tries: 0, notBefore: Number.NEGATIVE_INFINITY, done: resolve });
          }),
      );
      if (!running && queue.length > 0) void run();
      else wake?.();
      return Promise.all(done).then(() => undefined);
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    pending: () => queue.length,
  };
}
