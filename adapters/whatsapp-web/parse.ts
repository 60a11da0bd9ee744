// A whatsapp-web.js message becomes an Inbound for bot.handle, a polite "text and locations only"
// answer, or nothing (groups, status updates, the bot's own messages, system notices). Pure.
import { Inbound, Location } from '../../src/model/message.js';
import type { WhatsAppMessageLike } from './client.js';

export const CHANNEL = 'whatsapp-web';

/** Sent, as is, for voice notes, pictures, stickers, videos, documents and contacts. */
export const UNSUPPORTED_REPLY = [
  'Perdón, solo puedo leer mensajes de texto y ubicaciones. Escríbeme o comparte tu ubicación.',
  'Desculpe, só consigo ler mensagens de texto e localizações.',
  'Padon, mwen ka li sèlman mesaj ekri ak kote ou pataje.',
  'Sorry, I can only read text messages and shared locations.',
].join('\n');

/** Message types a person sends that we cannot read: they get UNSUPPORTED_REPLY. */
const UNSUPPORTED_TYPES = new Set(['ptt', 'audio', 'image', 'album', 'video', 'document', 'sticker', 'vcard', 'multi_vcard']);

export type IgnoreReason = 'own' | 'group' | 'status' | 'broadcast' | 'empty' | 'system' | 'invalid';

export type Parsed =
  | { kind: 'ignore'; reason: IgnoreReason }
  | { kind: 'inbound'; chatId: string; inbound: Inbound }
  | { kind: 'unsupported'; chatId: string; messageId: string; type: string };

const toNumber = (value: number | string | undefined): number => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN);

/** `nowMs` stands in when the message carries no timestamp. */
export function parseMessage(message: WhatsAppMessageLike, nowMs: number): Parsed {
  const chatId = message.from;
  if (message.fromMe) return { kind: 'ignore', reason: 'own' };
  if (message.isStatus || chatId === 'status@broadcast') return { kind: 'ignore', reason: 'status' };
  if (chatId.endsWith('@g.us')) return { kind: 'ignore', reason: 'group' };
  // Broadcast lists and channels ("newsletters") are not a conversation with a person.
  if (chatId.endsWith('@broadcast') || chatId.endsWith('@newsletter')) return { kind: 'ignore', reason: 'broadcast' };

  const messageId = message.id._serialized;
  const timestamp = typeof message.timestamp === 'number' && message.timestamp > 0 ? Math.round(message.timestamp * 1000) : Math.round(nowMs);
  const base = { channel: CHANNEL, user: chatId, timestamp, ...(messageId ? { messageId } : {}) };

  // Whatever the client hands us is checked like any other payload before it reaches the bot.
  const checked = (inbound: unknown): Parsed => {
    const valid = Inbound.safeParse(inbound);
    return valid.success ? { kind: 'inbound', chatId, inbound: valid.data } : { kind: 'ignore', reason: 'invalid' };
  };
  if (message.type === 'chat') {
    if (message.body.trim() === '') return { kind: 'ignore', reason: 'empty' };
    return checked({ ...base, text: message.body });
  }
  if (message.type === 'location') {
    const location = Location.safeParse({ lat: toNumber(message.location?.latitude), lon: toNumber(message.location?.longitude) });
    if (!location.success) return { kind: 'unsupported', chatId, messageId, type: 'location' };
    return checked({ ...base, location: location.data });
  }
  if (UNSUPPORTED_TYPES.has(message.type)) return { kind: 'unsupported', chatId, messageId, type: message.type };
  // Revoked messages, reactions, call logs, encryption and group notices…: nothing to answer.
  return { kind: 'ignore', reason: 'system' };
}
