// Reads a YAML file and remembers where each value sits, so every error can point at a line.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
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
    // Point at the key that names a value (where staff look), and walk up to the nearest thing
    // that exists: a missing field is reported where its parent is.
    for (let n = path.length; n > 0; n--) {
      const parent = doc.getIn(path.slice(0, n - 1) as unknown[], true);
      const last = path[n - 1];
      let start: number | undefined;
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(last));
        start = isNode(pair?.key) ? pair.key.range?.[0] : undefined;
      } else if (isSeq(parent)) {
        const item = parent.items[Number(last)];
        start = isNode(item) ? item.range?.[0] : undefined;
      }
      if (start !== undefined) return lineCounter.linePos(start).line;
    }
    return isNode(doc.contents) && doc.contents.range ? lineCounter.linePos(doc.contents.range[0]).line : undefined;
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
  const problems = result.error.issues.map((issue): Problem => {
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    return { file: yaml.file, line: yaml.lineOf(path), message: explain(issue, path), severity: 'error' };
  });
  return { problems };
}

/** zod's messages, reworded for someone editing a YAML file rather than writing code. */
function explain(issue: z.core.$ZodIssue, path: PropertyKey[]): string {
  const field = path.length ? `"${path.map(String).join('.')}"` : 'this file';
  if (issue.code === 'unrecognized_keys') return `${field} is not a field this file knows (check the spelling)`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `${field} is missing`;
  const discriminator = issue.message.match(/^Invalid discriminator value\. Expected (.*)$/);
  if (discriminator) return `${field} must be one of ${discriminator[1]}`;
  return `${field}: ${issue.message}`;
}

/** Reads, parses and validates one file, adding every problem (missing, broken, invalid) to the list. */
export function readValidated<T>(root: string, path: string, schema: z.ZodType<T>, problems: Problem[]): { value?: T; yaml?: YamlFile } {
  if (!existsSync(path)) {
    problems.push({ file: relative(root, path), message: 'is missing', severity: 'error' });
    return {};
  }
  const yaml = readYaml(root, path);
  if (isProblem(yaml)) {
    problems.push(yaml);
    return {};
  }
  const result = validate(yaml, schema);
  problems.push(...result.problems);
  return { value: result.value, yaml };
}
