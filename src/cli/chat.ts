// npm run chat [-- --lang es|pt|ht|en --channel web|telegram|whatsapp]
// Talk to the bot in the terminal, seeing replies as the chosen channel would show them.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { Language, type Reply } from '../model/message.js';
import { CAPABILITIES, renderFor } from '../model/numbered-menu.js';
import { createRuntime } from '../runtime.js';
import { cliEnvironment, fail, parseChannel, usage } from './options.js';

function show(reply: Reply): void {
  console.log(`\nPuente: ${reply.text}`);
  if (reply.choices?.length) console.log(reply.choices.map((c) => `  [ ${c.label} ]`).join('\n'));
  if (reply.link) console.log(`  🔗 ${reply.link.label}: ${reply.link.url}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { channel: { type: 'string', default: 'web' }, lang: { type: 'string' } } });
  const channel = parseChannel(values.channel);
  const lang = values.lang === undefined ? undefined : Language.safeParse(values.lang);
  if (lang && !lang.success) usage('--lang must be one of es, pt, ht, en');
  const runtime = await createRuntime(loadConfig(cliEnvironment()), createLogger('silent'), { limits: false });
  const user = `terminal-${randomUUID()}`;
  const send = async (event: { text?: string; choice?: string }) => {
    const replies = await runtime.bot.handle({ channel, user, messageId: randomUUID(), timestamp: Date.now(), ...event });
    renderFor(CAPABILITIES[channel], replies).forEach(show);
  };

  console.log(`Talking to Puente as the ${channel} channel shows it. Ctrl+D or Ctrl+C to leave.`);
  if (lang?.success) {
    // Starts like a new person would, then picks the language from the first menu.
    await runtime.bot.handle({ channel, user, timestamp: Date.now(), text: '/start' });
    await send({ choice: lang.data });
  } else {
    await send({ text: '/start' });
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout, prompt: '\nyou> ' });
  terminal.prompt();
  for await (const text of terminal) {
    if (text.trim()) await send({ text });
    terminal.prompt();
  }
  await runtime.close();
}

main().catch(fail);
