// Puente's Replies → WhatsApp Cloud API message bodies (without `to`, which the sender adds).
// Pure. Limits are Meta's; lengths are counted in UTF-16 code units, which is never fewer than
// the characters Meta counts, so a message built here is never refused for being too long.
import type { Choice, Reply } from '../../src/model/message.js';
import { numberedText } from '../../src/model/numbered-menu.js';

export const LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
} as const;

/** The button that opens a list: the Reply carries no language, so it speaks both. ≤ 20 chars. */
export const LIST_BUTTON = 'Opciones · Options';
/** Body of an interactive message whose text was too long and went just before as plain text. */
export const SHORT_BODY = '👇';
/** Puente's location questions start with this in every language. */
export const LOCATION_QUESTION = '📍';

export type Interactive =
  | { type: 'button'; body: { text: string }; action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
  | { type: 'list'; body: { text: string }; action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] } }
  | { type: 'location_request_message'; body: { text: string }; action: { name: 'send_location' } };

export type OutgoingMessage =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string } }
  | { type: 'interactive'; interactive: Interactive };

/** Splits text into pieces of at most `max` code units, at line breaks when it can. */
export function splitText(text: string, max: number = LIMITS.text): string[] {
  if (text.length <= max) return text.length ? [text] : [];
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current.length) pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const joined = current.length ? `${current}\n${line}` : line;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > max) {
      // Never cut a surrogate pair (an emoji) in half.
      let cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  flush();
  return pieces;
}

const textMessages = (text: string, preview = false): OutgoingMessage[] =>
  splitText(text).map((body) => ({ type: 'text', text: preview ? { body, preview_url: true } : { body } }));

const unique = (values: string[]) => new Set(values).size === values.length;

export type ChoiceLayout = 'buttons' | 'list' | 'numbered';

/** How a set of choices can be shown: reply buttons, a list message, or numbered text. */
export function choiceLayout(choices: Choice[]): ChoiceLayout {
  const ids = choices.map((c) => c.id);
  const labels = choices.map((c) => c.label.trim());
  const fits = (count: number, title: number, id: number) =>
    choices.length <= count &&
    labels.every((l) => l.length > 0 && l.length <= title) &&
    ids.every((i) => i.length > 0 && i.length <= id) &&
    unique(ids) &&
    unique(labels);
  if (fits(LIMITS.buttons, LIMITS.buttonTitle, LIMITS.buttonId)) return 'buttons';
  // A list row has a short title and a longer description: a label too long for the title is
  // shortened there and shown whole in the description.
  if (fits(LIMITS.listRows, LIMITS.rowDescription, LIMITS.rowId)) return 'list';
  return 'numbered';
}

function interactiveFor(layout: 'buttons' | 'list', body: string, choices: Choice[]): OutgoingMessage {
  const interactive: Interactive =
    layout === 'buttons'
      ? {
          type: 'button',
          body: { text: body },
          action: { buttons: choices.map((c) => ({ type: 'reply', reply: { id: c.id, title: c.label.trim() } })) },
        }
      : {
          type: 'list',
          body: { text: body },
          action: { button: LIST_BUTTON, sections: [{ rows: choices.map((c) => listRow(c)) }] },
        };
  return { type: 'interactive', interactive };
}

function listRow(choice: Choice): { id: string; title: string; description?: string } {
  const label = choice.label.trim();
  if (label.length <= LIMITS.rowTitle) return { id: choice.id, title: label };
  return { id: choice.id, title: `${label.slice(0, LIMITS.rowTitle - 1).trimEnd()}…`, description: label };
}

/** An interactive message with `text` as its body; a text too long for a body goes first, on its own. */
function withBody(text: string, make: (body: string) => OutgoingMessage): OutgoingMessage[] {
  const trimmed = text.trim();
  if (trimmed.length > 0 && trimmed.length <= LIMITS.interactiveBody) return [make(trimmed)];
  return [...textMessages(text), make(SHORT_BODY)];
}

export function renderReply(reply: Reply): OutgoingMessage[] {
  const text = reply.link ? `${reply.text}\n\n${reply.link.label}: ${reply.link.url}` : reply.text;
  const messages: OutgoingMessage[] = [];
  const choices = reply.choices ?? [];

  if (choices.length > 0) {
    const layout = choiceLayout(choices);
    if (layout === 'numbered') messages.push(...textMessages(numberedText({ ...reply, text })));
    else messages.push(...withBody(text, (body) => interactiveFor(layout, body, choices)));
  } else if (reply.text.startsWith(LOCATION_QUESTION) && text.length <= LIMITS.interactiveBody) {
    messages.push({
      type: 'interactive',
      interactive: { type: 'location_request_message', body: { text }, action: { name: 'send_location' } },
    });
  } else {
    messages.push(...textMessages(text, reply.link !== undefined));
  }

  if (reply.location) {
    const { lat, lon, name } = reply.location;
    messages.push({ type: 'location', location: { latitude: lat, longitude: lon, ...(name ? { name } : {}) } });
  }
  return messages;
}

export function renderReplies(replies: Reply[]): OutgoingMessage[] {
  return replies.flatMap(renderReply);
}
