// Telegram update → Inbound. Only private chats are answered: text, a shared location, a tapped
// button. Everything else (photos, stickers, voice, groups, edits…) is ignored with a reason that
// never contains what the person wrote. The chat id becomes Inbound.user and goes nowhere else.
import { z } from 'zod';
import { Inbound, Location } from '../../src/model/message.js';

export const CHANNEL = 'telegram';

/** Telegram never sends a longer text; cut anyway, on a character boundary. */
export const MAX_TELEGRAM_TEXT = 4096;

/** Telegram's limit for callback_data. */
export const MAX_CALLBACK_BYTES = 64;

/** A choice id that fits in a button: what render puts in callback_data and parse accepts back. */
const CHOICE_ID = /^[A-Za-z0-9_.:-]+$/;

export function isChoiceId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && Buffer.byteLength(value, 'utf8') <= MAX_CALLBACK_BYTES && CHOICE_ID.test(value);
}

/** The envelope every update has; the webhook refuses bodies that are not even this. */
export const UpdateEnvelope = z.object({ update_id: z.number().int().nonnegative() });

const Chat = z.object({ id: z.number().int(), type: z.string() });

const Message = z.object({
  message_id: z.number().int().nonnegative(),
  date: z.number().int().nonnegative(),
  chat: Chat,
  text: z.string().optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
});

const CallbackQuery = z.object({
  id: z.string().min(1).max(128),
  data: z.unknown().optional(),
  // Absent for buttons under inline-mode messages; a bare { chat, message_id } when the message is old.
  message: z.object({ message_id: z.number().int(), chat: Chat }).optional(),
});

export interface ParsedUpdate {
  /** What to hand to bot.handle; absent when Puente does not answer this update. */
  inbound?: Inbound;
  /** Where the replies go. */
  chatId?: number;
  /** A tapped button to acknowledge (answerCallbackQuery), even when its data is refused. */
  callbackQueryId?: string;
  /** Why nothing goes to the bot: a kind of update, never its content. */
  ignored?: string;
}

/** Message kinds Puente does not read, named in the debug log. */
const OTHER_KINDS = ['photo', 'sticker', 'voice', 'video_note', 'video', 'audio', 'animation', 'document', 'contact', 'poll', 'dice', 'story'];

export function parseUpdate(update: unknown, now: number = Date.now()): ParsedUpdate {
  if (!isObject(update) || !UpdateEnvelope.safeParse(update).success) return { ignored: 'not an update' };
  if (update.message !== undefined) return parseMessage(update.message);
  if (update.callback_query !== undefined) return parseCallbackQuery(update.callback_query, now);
  const kind = Object.keys(update).find((key) => key !== 'update_id') ?? 'empty';
  return { ignored: `update kind ${kind.slice(0, 32)}` };
}

function parseMessage(raw: unknown): ParsedUpdate {
  const parsed = Message.safeParse(raw);
  if (!parsed.success) return { ignored: 'malformed message' };
  const message = parsed.data;
  if (message.chat.type !== 'private') return { ignored: `message in a ${message.chat.type.slice(0, 16)} chat` };
  const base = {
    channel: CHANNEL,
    user: String(message.chat.id),
    // Stable across redeliveries of the same update, so bot.handle drops the duplicate.
    messageId: `${message.chat.id}:${message.message_id}`,
    timestamp: message.date * 1000,
  };
  const chatId = message.chat.id;
  if (message.text !== undefined) {
    if (!message.text.trim()) return { ignored: 'empty text' };
    return checked({ ...base, text: cut(message.text, MAX_TELEGRAM_TEXT) }, chatId);
  }
  if (message.location) {
    const location = Location.safeParse({ lat: message.location.latitude, lon: message.location.longitude });
    if (!location.success) return { ignored: 'location out of range' };
    return checked({ ...base, location: location.data }, chatId);
  }
  const kind = isObject(raw) ? OTHER_KINDS.find((k) => raw[k] !== undefined) : undefined;
  return { ignored: `${kind ?? 'other'} message` };
}

function parseCallbackQuery(raw: unknown, now: number): ParsedUpdate {
  const parsed = CallbackQuery.safeParse(raw);
  if (!parsed.success) {
    const id = isObject(raw) && typeof raw.id === 'string' && raw.id.length > 0 && raw.id.length <= 128 ? raw.id : undefined;
    return { callbackQueryId: id, ignored: 'malformed callback query' };
  }
  const query = parsed.data;
  const callbackQueryId = query.id;
  if (!query.message) return { callbackQueryId, ignored: 'callback query without a chat' };
  if (query.message.chat.type !== 'private') return { callbackQueryId, ignored: `callback query in a ${query.message.chat.type.slice(0, 16)} chat` };
  if (!isChoiceId(query.data)) return { callbackQueryId, ignored: 'callback data is not a choice id' };
  const chatId = query.message.chat.id;
  const result = checked(
    { channel: CHANNEL, user: String(chatId), messageId: `cb:${query.id}`, choice: query.data, timestamp: Math.max(0, Math.floor(now)) },
    chatId,
  );
  return { ...result, callbackQueryId };
}

function checked(candidate: Inbound, chatId: number): ParsedUpdate {
  const inbound = Inbound.safeParse(candidate);
  return inbound.success ? { inbound: inbound.data, chatId } : { ignored: 'not a valid inbound' };
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
