// Replies become WhatsApp text messages: WhatsApp Web has no reliable buttons, so choices are a
// numbered list (the engine accepts the number back); links and places are text lines. Pure.
import type { Reply } from '../../src/model/message.js';
import { renderFor } from '../../src/model/numbered-menu.js';

/** WhatsApp accepts longer texts, but long ones read badly and fail more: split past this. */
export const MAX_MESSAGE_CHARS = 4000;

export const mapUrl = (lat: number, lon: number): string => `https://www.google.com/maps/search/?api=1&query=${lat},${lon}`;

function withExtras(reply: Reply): string {
  const lines = [reply.text];
  const { location, link } = reply;
  // A result card brings both the place and a map link to it: show the map link once.
  if (location && !(link && link.url.includes(`${location.lat},${location.lon}`))) {
    lines.push(`📍 ${location.name ? `${location.name}: ` : ''}${mapUrl(location.lat, location.lon)}`);
  }
  if (link) lines.push(`${link.label}: ${link.url}`);
  return lines.join('\n');
}

/** Cuts before `max`, never inside a surrogate pair. */
function cut(text: string, max: number): [string, string] {
  let at = max;
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at -= 1;
  return [text.slice(0, at), text.slice(at)];
}

/** Splits at line breaks (at spaces, or anywhere, for a single overlong line) into parts ≤ max. */
export function splitText(text: string, max = MAX_MESSAGE_CHARS): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') parts.push(current.replace(/\n+$/, ''));
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > max) {
      const space = rest.lastIndexOf(' ', max);
      const [head, tail] = space > 0 ? [rest.slice(0, space), rest.slice(space + 1)] : cut(rest, max);
      parts.push(head);
      rest = tail;
    }
    current = rest;
  }
  flush();
  return parts;
}

/** One or more WhatsApp texts per reply, in order. */
export function renderReplies(replies: Reply[]): string[] {
  return renderFor({ buttons: false }, replies)
    .map(withExtras)
    .filter((text) => text.trim() !== '')
    .flatMap((text) => splitText(text));
}
