// Reply[] → Telegram Bot API calls, in order. Plain text (no parse mode, so nothing to escape),
// choices as an inline keyboard (one button per row, callback_data = the choice id), a link as a
// line of text with its URL, a place as a map pin after its text. Texts over Telegram's limit are
// split at line breaks; the buttons go under the last part.
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { Reply } from '../../src/model/message.js';
import { isChoiceId, isHighSurrogate } from './parse.js';

/** Telegram's limit for one message's text. */
export const MAX_MESSAGE_CHARS = 4096;

/** How Puente's "where are you?" questions start, in every language. */
export const LOCATION_QUESTION_MARK = '📍';

export type Outgoing =
  | {
      method: 'sendMessage';
      text: string;
      reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;
    }
  | { method: 'sendLocation'; latitude: number; longitude: number };

/** Under a location question: one button that shares the person's location, gone once used. */
export const LOCATION_KEYBOARD: ReplyKeyboardMarkup = {
  keyboard: [[{ text: LOCATION_QUESTION_MARK, request_location: true }]],
  one_time_keyboard: true,
  resize_keyboard: true,
};

const REMOVE_KEYBOARD: ReplyKeyboardRemove = { remove_keyboard: true };

export function renderReplies(replies: readonly Reply[]): Outgoing[] {
  return replies.flatMap(renderReply);
}

/** Choices that cannot become a button (callback_data over 64 bytes or odd characters): they are left out. */
export function unbuttonable(replies: readonly Reply[]): string[] {
  return replies.flatMap((r) => r.choices ?? []).filter((c) => !isChoiceId(c.id)).map((c) => c.id);
}

function renderReply(reply: Reply): Outgoing[] {
  const out: Outgoing[] = [];
  let text = reply.text.trim();
  if (reply.link) {
    const line = reply.link.label && reply.link.label !== reply.link.url ? `${reply.link.label}: ${reply.link.url}` : reply.link.url;
    text = text ? `${text}\n\n${line}` : line;
  }
  const buttons = (reply.choices ?? [])
    .filter((c) => isChoiceId(c.id))
    .map((c) => [{ text: c.label.trim() || c.id, callback_data: c.id }]);
  let markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | undefined;
  if (buttons.length) markup = { inline_keyboard: buttons };
  else if (text.startsWith(LOCATION_QUESTION_MARK)) markup = LOCATION_KEYBOARD;
  // Takes the location button away once the question is over (also when a town was typed instead).
  else markup = REMOVE_KEYBOARD;
  // Telegram refuses an empty message; buttons still need a line above them.
  if (!text && markup !== REMOVE_KEYBOARD) text = '…';
  if (text) {
    const parts = splitText(text, MAX_MESSAGE_CHARS);
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      out.push(last && markup ? { method: 'sendMessage', text: part, reply_markup: markup } : { method: 'sendMessage', text: part });
    });
  }
  if (reply.location) out.push({ method: 'sendLocation', latitude: reply.location.lat, longitude: reply.location.lon });
  return out;
}

/**
 * Splits a text into parts of at most `max` UTF-16 units (Telegram counts those), preferring the
 * last line break, then the last space, then a hard cut that never splits a surrogate pair.
 */
export function splitText(text: string, max: number = MAX_MESSAGE_CHARS): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let at = window.lastIndexOf('\n');
    if (at <= 0) at = window.lastIndexOf(' ');
    let part: string;
    if (at > 0) {
      part = rest.slice(0, at);
      rest = rest.slice(at + 1);
    } else {
      const end = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
      part = rest.slice(0, end);
      rest = rest.slice(end);
    }
    if (part.trim()) parts.push(part.replace(/\s+$/, ''));
    rest = rest.replace(/^\n+/, '');
  }
  if (rest.trim()) parts.push(rest);
  return parts;
}
