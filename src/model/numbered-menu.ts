// How a reply looks on a channel that cannot show buttons (WhatsApp Web, SMS-like channels):
// the choices become a numbered list in the text; the engine accepts the number or the label back.
import type { Reply } from './message.js';

export interface ChannelCapabilities {
  buttons: boolean;
}

export const CAPABILITIES = {
  web: { buttons: true },
  telegram: { buttons: true },
  botframework: { buttons: true },
  whatsapp: { buttons: false },
} as const satisfies Record<string, ChannelCapabilities>;

export type ChannelName = keyof typeof CAPABILITIES;

export function numberedText(reply: Reply): string {
  if (!reply.choices?.length) return reply.text;
  const lines = reply.choices.map((choice, i) => `${i + 1}. ${choice.label}`);
  return `${reply.text}\n\n${lines.join('\n')}`;
}

export function renderFor(capabilities: ChannelCapabilities, replies: Reply[]): Reply[] {
  if (capabilities.buttons) return replies;
  return replies.map((reply) => {
    const { choices: _shownAsText, ...rest } = reply;
    return { ...rest, text: numberedText(reply) };
  });
}
