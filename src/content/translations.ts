// Keeps translations honest: each one records a fingerprint of the Spanish text it was made from,
// so when the Spanish changes the translation shows as stale instead of silently staying old.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const TRANSLATION_STATUS_FILE = '_status.yaml';

export const TranslationStatusFile = z.strictObject({
  version: z.literal(1),
  texts: z.record(
    z.string(),
    z.strictObject({
      from: z.string().regex(/^[0-9a-f]{8}$/, 'the fingerprint of the Spanish text: 8 characters 0-9 a-f'),
      status: z.enum(['draft', 'reviewed']),
      reviewed: z.strictObject({ on: z.iso.date(), by: z.string().min(2) }).optional(),
    }),
  ),
});
export type TranslationStatusFile = z.infer<typeof TranslationStatusFile>;

export type TranslationState = 'reviewed' | 'draft' | 'stale' | 'missing';

export function fingerprint(sourceText: string): string {
  return createHash('sha256').update(sourceText).digest('hex').slice(0, 8);
}

/** The state of one translated text, given the Spanish text and what the status file records. */
export function translationState(
  source: string,
  translated: string | undefined,
  record: TranslationStatusFile['texts'][string] | undefined,
): TranslationState {
  if (translated === undefined) return 'missing';
  if (!record || record.from !== fingerprint(source)) return 'stale';
  return record.status;
}
