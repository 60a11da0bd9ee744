// Reads a YAML file and remembers where each value sits, so every error can point at a line.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import type { Problem } from './problems.js';

export interface YamlFile {
  /** Path relative to the content root, as staff see it. */
  file: string;
  data: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function readYaml(root: string, absolutePath: string): YamlFile | Problem {
  const file = relative(root, absolutePath);
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(readFileSync(absolutePath, 'utf8'), { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return { file, message: `cannot be read: ${(error as Error).message}`, severity: 'error' };
  }
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    const reason = first.code === 'DUPLICATE_KEY' ? 'the same key is written twice' : first.message.split('\n')[0];
    return { file, line, message: `is not valid YAML: ${reason}`, severity: 'error' };
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // Walk up to the nearest value that exists: a missing field is reported where its parent is.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { file, data: doc.toJS(), lineOf };
}

export function isProblem(value: YamlFile | Problem): value is Problem {
  return 'message' in value;
}

/** Validates a file's data against a schema and turns each zod issue into a Problem with a line. */
export function validate<T>(yaml: YamlFile, schema: z.ZodType<T>): { value?: T; problems: Problem[] } {
  const result = schema.safeParse(yaml.data);
  if (result.success) return { value: result.data, problems: [] };
  const problems = result.error.issues.map((issue) => ({
    file: yaml.file,
    line: yaml.lineOf(issue.path),
    message: `${issue.path.length ? `at "${issue.path.join('.')}": ` : ''}${issue.message}`,
    severity: 'error' as const,
  }));
  return { problems };
}
