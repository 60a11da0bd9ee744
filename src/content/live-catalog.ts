// The catalog the running bot uses, reloaded when the files change (or when staff ask). A new
// catalog replaces the old one in one assignment, and only when it is valid: a typo in a file
// leaves the last good content in service and is reported with its file and line.
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { Catalog } from './catalog.js';
import { loadCatalog } from './load.js';
import { formatProblem, type Problem } from './problems.js';

export interface ReloadResult {
  ok: boolean;
  problems: Problem[];
}

export class LiveCatalog {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: string,
    private readonly log: Logger,
    private catalog: Catalog,
  ) {}

  get current(): Catalog {
    return this.catalog;
  }

  reload(): ReloadResult {
    const { catalog, problems } = loadCatalog(this.root);
    const errors = problems.filter((p) => p.severity === 'error');
    if (!catalog) {
      this.log.error({ problems: errors.map(formatProblem) }, 'content has errors: still serving the last good version');
      return { ok: false, problems };
    }
    this.catalog = catalog;
    this.log.info({ warnings: problems.length }, 'content reloaded');
    return { ok: true, problems };
  }

  /** Reloads a moment after files stop changing, so a save of several files counts once. */
  watch(delayMs = 300): void {
    for (const dir of ['content', 'locales', 'flows']) {
      const watcher = watch(join(this.root, dir), { recursive: true }, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload(), delayMs);
      });
      watcher.on('error', (error) => this.log.warn({ err: { message: error.message }, dir }, 'cannot watch content folder'));
      this.watchers.push(watcher);
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }
}
