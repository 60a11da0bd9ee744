// npm run --silent nlu — JSON lines in ({"text": "...", "lang"?: "es"}), one JSON line out per
// input ({"intent", "service", "lang", "score"}). "lang" in the input is the language to fall back
// on when the text alone does not tell. Nothing else on stdout; bad lines are reported on stderr.
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { Language } from '../model/message.js';
import { projectRoot } from '../paths.js';
import { loadCatalogOrThrow } from '../runtime.js';
import { understand } from '../understand/intent.js';
import { fail } from './options.js';

const InputLine = z.object({ text: z.string(), lang: Language.optional() });

async function main(): Promise<void> {
  const catalog = loadCatalogOrThrow(projectRoot);
  let lineNumber = 0;
  let rejected = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    let input: z.infer<typeof InputLine>;
    try {
      input = InputLine.parse(JSON.parse(line));
    } catch {
      rejected++;
      process.stderr.write(`line ${lineNumber}: expected {"text": "...", "lang"?: "es|pt|ht|en"}\n`);
      continue;
    }
    process.stdout.write(`${JSON.stringify(understand(input.text, catalog, input.lang ?? 'es'))}\n`);
  }
  process.exitCode = rejected ? 2 : 0;
}

main().catch(fail);
