// The normalized message model every channel speaks: one Inbound in, Replies out.
// Adapters translate their platform's payloads to and from these shapes and nothing else.
import { z } from 'zod';

export const LANGUAGES = ['es', 'pt', 'ht', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/** Longest text we read from a person (WhatsApp's and Telegram's own limit); longer messages are
 *  cut, never rejected, and a cry for help anywhere in them is still found. */
export const MAX_TEXT_CHARS = 4096;
/** How far into a very long message danger words are still looked for (a plain search: cheap). */
export const DANGER_SCAN_CHARS = 65_536;

export const Location = z.object({
  lat: z.number().finite().min(-90).max(90),
  lon: z.number().finite().min(-180).max(180),
});
export type Location = z.infer<typeof Location>;

export const Inbound = z
  .object({
    channel: z.string().min(1).max(32),
    user: z.string().min(1).max(256),
    messageId: z.string().min(1).max(256).optional(),
    text: z.string().optional(),
    choice: z.string().min(1).max(256).optional(),
    location: Location.optional(),
    timestamp: z.number().int().nonnegative(),
  })
  .refine((m) => [m.text, m.choice, m.location].filter((v) => v !== undefined).length === 1, {
    message: 'exactly one of text, choice or location is required',
  });
export type Inbound = z.infer<typeof Inbound>;

export const Choice = z.object({ id: z.string(), label: z.string() });
export type Choice = z.infer<typeof Choice>;

export const Reply = z.object({
  text: z.string(),
  choices: z.array(Choice).optional(),
  location: Location.extend({ name: z.string().optional() }).optional(),
  link: z.object({ url: z.string(), label: z.string() }).optional(),
});
export type Reply = z.infer<typeof Reply>;
