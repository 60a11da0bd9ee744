// content/keywords.yaml: the words and phrases that tell what a person wants, per language.
// Staff add a word there; the understanding code (src/understand/intent.ts) reads it.
import { z } from 'zod';
import { Language } from '../model/message.js';
import { ServiceId } from './service-ids.js';

/** Intents recognized by words alone; find_service comes from the service lists. */
export const KEYWORD_INTENTS = ['rights', 'risks', 'find_center', 'human', 'stop', 'menu', 'language', 'delete_data', 'emergency'] as const;

/**
 * Words that are not an intent alone but decide one together:
 * - danger: talk of danger (kidnapping, gangs, violence) — an emergency, unless the message asks
 *   about the risks of the journey (risk_question);
 * - cry_for_help + urgency: "ayuda rápido", "help quick 😭" — an emergency, where "ayuda" alone is a
 *   request for the menu.
 */
export const SIGNALS = ['danger', 'risk_question', 'cry_for_help', 'urgency'] as const;

const Words = z.partialRecord(Language, z.array(z.string().min(1)));

export const KeywordsFile = z.strictObject({
  version: z.literal(1),
  intents: z.partialRecord(z.enum(KEYWORD_INTENTS), Words),
  services: z.partialRecord(ServiceId, Words),
  signals: z.partialRecord(z.enum(SIGNALS), Words).default({}),
});
export type KeywordsFile = z.infer<typeof KeywordsFile>;
