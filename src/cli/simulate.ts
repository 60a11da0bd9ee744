// npm run --silent simulate [-- --channel web|telegram|whatsapp --now <ISO time>]
// JSON lines in (one inbound event each), JSON lines out (one per reply). Nothing else on stdout:
// problems with an input line go to stderr, and the exit status is 2 if any line was rejected.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { Location } from '../model/message.js';
import { CAPABILITIES, renderFor } from '../model/numbered-menu.js';
import { createRuntime } from '../runtime.js';
import { cliEnvironment, fail, parseChannel, parseNow } from './options.js';

const InputLine = z
  .object({
    user: z.string().min(1).max(128),
    messageId: z.string().min(1).max(128).optional(),
    text: z.string().optional(),
    choice: z.string().min(1).optional(),
    location: Location.optional(),
  })
  .refine((m) => [m.text, m.choice, m.location].filter((v) => v !== undefined).length === 1, {
    message: 'each line needs exactly one of "text", "choice" or "location"',
  });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { channel: { type: 'string', default: 'web' }, now: { type: 'string' } } });
  const channel = parseChannel(values.channel);
  const now = parseNow(values.now);
  const config = loadConfig(cliEnvironment());
  const log = createLogger(config.LOG_LEVEL);
  // A script may send hundreds of lines for one person: the tools are not rate limited.
  const runtime = await createRuntime(config, log, { now, limits: false });

  let rejected = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    let parsed: z.infer<typeof InputLine>;
    try {
      parsed = InputLine.parse(JSON.parse(line));
    } catch (error) {
      rejected++;
      const reason = error instanceof z.ZodError ? error.issues.map((i) => i.message).join('; ') : 'not valid JSON';
      process.stderr.write(`line ${lineNumber}: ${reason}\n`);
      continue;
    }
    const replies = await runtime.bot.handle({ channel, timestamp: (now?.() ?? new Date()).getTime(), ...parsed });
    for (const reply of renderFor(CAPABILITIES[channel], replies)) {
      process.stdout.write(`${JSON.stringify({ user: parsed.user, ...reply })}\n`);
    }
  }
  await runtime.close();
  process.exitCode = rejected ? 2 : 0;
}

main().catch(fail);
