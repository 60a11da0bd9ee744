// Reply → Bot Framework message activity. Pure.
//
// - text goes whole, as plain text (the content is plain text with line breaks; markdown would
//   turn "1." lines into lists and eat "_" and "*"). Bot Framework and the channels handle length.
// - choices become suggested actions of type messageBack: the button shows the label, the
//   transcript shows the label as the person's message, and the activity carries
//   value {choice: id}, which parse.ts turns into Inbound.choice. The label is also sent as text,
//   so a channel that downgrades messageBack to a plain message still picks the right entry (the
//   engine matches labels in every language).
//   Where suggested actions do not work (SMS and email drop them; Teams shows only the first three
//   and only imBack), the choices become a numbered list in the text instead, as on WhatsApp; the
//   person answers with the number or the label.
// - a center (reply.location and/or reply.link) also gets a hero card: the center's name and an
//   openUrl button to the map.
import { MessageFactory, type Activity, type Attachment, type CardAction, type HeroCard } from 'botbuilder';
import type { Reply } from '../../src/model/message.js';
import { numberedText } from '../../src/model/numbered-menu.js';

export const HERO_CARD = 'application/vnd.microsoft.card.hero';

/** Bot Framework channel ids (activity.channelId) whose choices are sent as numbered text. */
export const NUMBERED_CHANNELS: ReadonlySet<string> = new Set(['sms', 'email', 'msteams']);

export function renderReply(reply: Reply, channelId?: string): Partial<Activity> {
  const buttons = Boolean(reply.choices?.length) && !NUMBERED_CHANNELS.has(channelId ?? '');
  const text = buttons ? reply.text : numberedText(reply);
  // MessageFactory leaves suggestedActions.to out (the actions are for whoever is in the chat).
  const activity = buttons && reply.choices ? MessageFactory.suggestedActions(reply.choices.map(choiceAction), text) : MessageFactory.text(text);
  activity.text = text; // MessageFactory skips an empty text; keep exactly what the bot said
  activity.textFormat = 'plain';
  const card = mapCard(reply);
  if (card) activity.attachments = [card];
  return activity;
}

export function choiceAction(choice: { id: string; label: string }): CardAction {
  return { type: 'messageBack', title: choice.label, displayText: choice.label, text: choice.label, value: { choice: choice.id } };
}

export function mapUrl(lat: number, lon: number): string {
  return `https://www.google.com/maps/search/?api=1&query=${lat},${lon}`;
}

function mapCard(reply: Reply): Attachment | undefined {
  const { location, link } = reply;
  if (!location && !link) return undefined;
  const url = link?.url ?? (location ? mapUrl(location.lat, location.lon) : undefined);
  if (!url) return undefined;
  const content: Partial<HeroCard> = {
    buttons: [{ type: 'openUrl', title: link?.label ?? '🗺️', value: url }],
  };
  if (location?.name) content.title = location.name;
  return { contentType: HERO_CARD, content };
}
