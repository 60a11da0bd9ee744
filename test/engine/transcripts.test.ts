// Walks every transcript in test/fixtures/transcripts: each turn sends one message and expects the
// replies exactly as the channel shows them. UPDATE_TRANSCRIPTS=1 rewrites the expected replies
// from what the bot says now — review the diff before committing it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { Location } from '../../src/model/message.js';
import { CAPABILITIES, renderFor } from '../../src/model/numbered-menu.js';
import { testBot } from '../helpers/bot.js';

const ExpectedReply = z.union([z.string(), z.object({ text: z.string(), choices: z.array(z.string()) })]);
const Transcript = z.object({
  description: z.string(),
  channel: z.enum(['web', 'telegram', 'whatsapp']),
  turns: z.array(
    z.object({
      send: z.object({ text: z.string().optional(), choice: z.string().optional(), location: Location.optional() }),
      state: z
        .object({ lang: z.string().optional(), group: z.string().optional(), age: z.string().optional(), node: z.string().optional(), deleted: z.boolean().optional() })
        .optional(),
      expect: z.array(ExpectedReply).optional(),
    }),
  ),
});

const dir = join(import.meta.dirname, '..', 'fixtures', 'transcripts');
const update = process.env.UPDATE_TRANSCRIPTS === '1';

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const path = join(dir, file);
  const transcript = Transcript.parse(parse(readFileSync(path, 'utf8')));

  test(`${file}: ${transcript.description}`, async () => {
    const { bot, store, keyOf } = testBot();
    const user = `person-${file}`;
    for (const [i, turn] of transcript.turns.entries()) {
      const replies = await bot.handle({ channel: transcript.channel, user, messageId: `m${i}`, timestamp: 0, ...turn.send });
      const shown = renderFor(CAPABILITIES[transcript.channel], replies).map((r) =>
        r.choices ? { text: r.text, choices: r.choices.map((c) => `${c.id}: ${c.label}`) } : r.text,
      );
      if (update) turn.expect = shown;
      else expect(shown, `turn ${i + 1} (${JSON.stringify(turn.send)})`).toEqual(turn.expect);

      if (turn.state) {
        const session = await store.get(keyOf(transcript.channel, user));
        if (turn.state.deleted) expect(session, `turn ${i + 1}: data deleted`).toBeUndefined();
        if (turn.state.lang) expect(session?.lang, `turn ${i + 1}: language`).toBe(turn.state.lang);
        if (turn.state.group) expect(session?.profile.group, `turn ${i + 1}: group`).toBe(turn.state.group);
        if (turn.state.age) expect(session?.profile.age, `turn ${i + 1}: age`).toBe(turn.state.age);
        if (turn.state.node) expect(session?.node, `turn ${i + 1}: node`).toBe(turn.state.node);
      }
    }
    if (update) writeFileSync(path, stringify(transcript, { lineWidth: 0 }));
  });
}
