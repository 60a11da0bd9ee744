// What Puente remembers about one person between messages: where they are, their language and
// the optional coarse profile. Nothing else — no names, no texts, no locations.
import { z } from 'zod';
import { AgeGroup, Group } from '../content/schema.js';
import { ServiceId } from '../content/service-ids.js';
import { Language } from '../model/message.js';

/** How many steps "back" can go. */
export const HISTORY_LIMIT = 8;

export const Session = z.object({
  v: z.literal(1),
  node: z.string(),
  lang: Language.optional(),
  profile: z.object({ group: Group.optional(), age: AgeGroup.optional() }),
  history: z.array(z.string()).max(HISTORY_LIMIT),
  /** The service being looked for, between "what do you need" and "where are you". */
  finding: z.object({ service: ServiceId.optional() }).optional(),
  /** Place ids offered when a typed place name fits several places. */
  candidates: z.array(z.string()).max(5).optional(),
  updatedAt: z.number(),
});
export type Session = z.infer<typeof Session>;

export type Effect = { type: 'delete_user' };
