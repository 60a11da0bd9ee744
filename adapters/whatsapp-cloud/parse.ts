// WhatsApp Cloud API webhook payload → what happened, as pure data. The envelope is validated
// strictly (a malformed one is refused with 400); each message is then read leniently: a type
// Puente cannot read becomes "unsupported" (answered politely), never an error.
import { z } from 'zod';
import { Location, type Inbound } from '../../src/model/message.js';

export const CHANNEL = 'whatsapp-cloud';

const WebhookMessage = z.object({
  from: z.string().min(1).max(64),
  id: z.string().min(1).max(256),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().min(1).max(64),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
    })
    .optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
});
export type WebhookMessage = z.infer<typeof WebhookMessage>;

const ChangeValue = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ phone_number_id: z.string() }).optional(),
  messages: z.array(WebhookMessage).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const WebhookPayload = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(z.object({ field: z.string(), value: ChangeValue })),
    }),
  ),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** One thing a webhook told us. `user` is the sender's wa_id, in clear: it only goes into an Inbound or a send. */
export type WebhookEvent =
  /** A message Puente reads: goes to bot.handle. */
  | { kind: 'inbound'; user: string; at: number; inbound: Inbound }
  /** A message Puente cannot read (image, audio, sticker…): gets the fixed polite answer. */
  | { kind: 'unsupported'; user: string; at: number; messageId: string; type: string }
  /** Not worth an answer (a reaction, a system notice): still opens the 24-hour window. */
  | { kind: 'ignored'; user: string; at: number; type: string };

export interface ParsedWebhook {
  events: WebhookEvent[];
  /** Delivery/read receipts: not user messages, only counted for a debug log. */
  statuses: number;
  /** Messages sent to another phone number of the same business account. */
  otherNumbers: number;
}

/** Message types that never deserve the "I can only read text" answer. */
const SILENT_TYPES = new Set(['reaction', 'system', 'request_welcome']);

export function toEvent(message: WebhookMessage): WebhookEvent {
  const user = message.from;
  const at = Number(message.timestamp) * 1000;
  const base = { channel: CHANNEL, user, messageId: message.id, timestamp: at };
  const unsupported: WebhookEvent = { kind: 'unsupported', user, at, messageId: message.id, type: message.type };

  switch (message.type) {
    case 'text':
      return message.text ? { kind: 'inbound', user, at, inbound: { ...base, text: message.text.body } } : unsupported;
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return reply && reply.id.length > 0 && reply.id.length <= 256
        ? { kind: 'inbound', user, at, inbound: { ...base, choice: reply.id } }
        : unsupported;
    }
    case 'button':
      // A quick-reply button of a template: its visible text is what the person "said".
      return message.button ? { kind: 'inbound', user, at, inbound: { ...base, text: message.button.text } } : unsupported;
    case 'location': {
      const location = Location.safeParse({ lat: message.location?.latitude, lon: message.location?.longitude });
      return location.success ? { kind: 'inbound', user, at, inbound: { ...base, location: location.data } } : unsupported;
    }
    default:
      return SILENT_TYPES.has(message.type) ? { kind: 'ignored', user, at, type: message.type } : unsupported;
  }
}

/** Reads a validated payload. Messages addressed to another phone number id are skipped. */
export function readWebhook(payload: WebhookPayload, phoneNumberId: string): ParsedWebhook {
  const parsed: ParsedWebhook = { events: [], statuses: 0, otherNumbers: 0 };
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const { value } = change;
      parsed.statuses += value.statuses?.length ?? 0;
      if (value.metadata && value.metadata.phone_number_id !== phoneNumberId) {
        parsed.otherNumbers += value.messages?.length ?? 0;
        continue;
      }
      for (const message of value.messages ?? []) parsed.events.push(toEvent(message));
    }
  }
  return parsed;
}

/** Raw body text → events, or why it is malformed (the caller answers 400). */
export function parseWebhook(
  raw: string,
  phoneNumberId: string,
): { ok: true; webhook: ParsedWebhook } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'request body is not valid JSON' };
  }
  const payload = WebhookPayload.safeParse(json);
  if (!payload.success) return { ok: false, error: 'not a WhatsApp webhook payload' };
  if (payload.data.object !== 'whatsapp_business_account') return { ok: true, webhook: { events: [], statuses: 0, otherNumbers: 0 } };
  return { ok: true, webhook: readWebhook(payload.data, phoneNumberId) };
}
