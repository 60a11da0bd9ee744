// A private copy of the real content that a test may break on purpose.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

export function contentCopy(): { root: string; edit(file: string, change: (text: string) => string): void } {
  const root = mkdtempSync(join(tmpdir(), 'puente-content-'));
  for (const dir of ['content', 'locales', 'flows']) cpSync(join(projectRoot, dir), join(root, dir), { recursive: true });
  return {
    root,
    edit(file, change) {
      const path = join(root, file);
      const before = readFileSync(path, 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`the edit of ${file} changed nothing`);
      writeFileSync(path, after);
    },
  };
}

/** The 1-based line of the first occurrence of a text in a file of the copy. */
export function lineOf(root: string, file: string, text: string): number {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`"${text}" is not in ${file}`);
  return index + 1;
}
