// Bot Framework activity → Inbound. Pure: no I/O, no logging; the caller decides what to do with
// an activity that yields nothing.
//
// - message: a suggested-action press (render.ts sends messageBack with value {choice: id}) becomes
//   `choice`; otherwise non-blank text becomes `text`; otherwise a shared location becomes
//   `location` (a Place/GeoCoordinates entity, or an attachment with coordinates, as Messenger
//   and some clients send). Choice wins over text, text over location: a client that attaches the
//   person's position to every message must not swallow what they typed.
// - conversationUpdate: each added member that is not the bot gets a '/start', so the bot shows its
//   greeting in every language once, when the person opens the chat.
// - every other activity type yields nothing.
//
// The person is `${channelId}:${from.id}`: the same id on two channels (webchat, msteams…) is two
// people. This raw id only goes into Inbound; src/bot.ts hashes it before it is stored or logged.
import { z } from 'zod';
import { Inbound, Location } from '../../src/model/message.js';

export const CHANNEL = 'botframework';

const Account = z.object({ id: z.string().min(1) });

const Coordinates = z.object({ latitude: z.number(), longitude: z.number() });

const ActivityBase = z.object({
  type: z.string(),
  id: z.string().min(1).optional(),
  channelId: z.string().min(1),
  // A string on the wire; botbuilder has made it a Date by the time a turn runs.
  timestamp: z.union([z.string(), z.date()]).optional(),
  recipient: Account.optional(),
});

const MessageActivity = ActivityBase.extend({
  from: Account,
  text: z.string().optional(),
  value: z.unknown().optional(),
  entities: z.array(z.unknown()).optional(),
  attachments: z.array(z.unknown()).optional(),
});

const ConversationUpdateActivity = ActivityBase.extend({
  membersAdded: z.array(Account).optional(),
});

/** What render.ts puts in a suggested action's value, and what the channel sends back on a press. */
export const ChoiceValue = z.object({ choice: z.string().min(1) });

export function parseActivity(activity: unknown, now: number): Inbound[] {
  const base = ActivityBase.safeParse(activity);
  if (!base.success) return [];
  const timestamp = timestampOf(base.data.timestamp, now);

  if (base.data.type === 'message') {
    const message = MessageActivity.safeParse(activity);
    if (!message.success) return [];
    const { channelId, from, id } = message.data;
    const content = contentOf(message.data);
    if (!content) return [];
    return valid({ channel: CHANNEL, user: `${channelId}:${from.id}`, messageId: id, ...content, timestamp });
  }

  if (base.data.type === 'conversationUpdate') {
    const update = ConversationUpdateActivity.safeParse(activity);
    if (!update.success) return [];
    const { channelId, id, recipient, membersAdded = [] } = update.data;
    const people = membersAdded.filter((member, i) => member.id !== recipient?.id && membersAdded.findIndex((m) => m.id === member.id) === i);
    return people.flatMap((member) =>
      valid({
        channel: CHANNEL,
        user: `${channelId}:${member.id}`,
        // Per member, so a redelivered update greets nobody twice (bot.ts drops seen ids).
        messageId: id ? `join:${id}` : undefined,
        text: '/start',
        timestamp,
      }),
    );
  }

  return [];
}

type Content = { choice: string } | { text: string } | { location: Location };

function contentOf(message: z.infer<typeof MessageActivity>): Content | undefined {
  const pressed = ChoiceValue.safeParse(message.value);
  if (pressed.success) return { choice: pressed.data.choice };
  if (message.text !== undefined && message.text.trim() !== '') return { text: message.text };
  const location = locationOf(message.entities ?? [], message.attachments ?? []);
  if (location) return { location };
  return undefined;
}

/** The first usable position among entities (Place.geo, GeoCoordinates) and attachments. */
export function locationOf(entities: readonly unknown[], attachments: readonly unknown[]): Location | undefined {
  for (const entity of entities) {
    const found = geoOf(entity);
    if (found) return found;
  }
  for (const attachment of attachments) {
    const parsed = z.object({ content: z.unknown().optional(), payload: z.unknown().optional() }).safeParse(attachment);
    if (!parsed.success) continue;
    const found = geoOf(parsed.data.content) ?? geoOf(parsed.data.payload) ?? geoOf(attachment);
    if (found) return found;
  }
  return undefined;
}

// Shapes seen for a position: {latitude, longitude} (schema.org GeoCoordinates), {geo: {…}}
// (schema.org Place), and Messenger's {coordinates: {lat, long}}.
const GeoShapes = z.union([
  Coordinates,
  z.object({ geo: Coordinates }).transform((v) => v.geo),
  z
    .object({ coordinates: z.object({ lat: z.number(), long: z.number() }) })
    .transform((v) => ({ latitude: v.coordinates.lat, longitude: v.coordinates.long })),
]);

function geoOf(value: unknown): Location | undefined {
  const shape = GeoShapes.safeParse(value);
  if (!shape.success) return undefined;
  const location = Location.safeParse({ lat: shape.data.latitude, lon: shape.data.longitude });
  return location.success ? location.data : undefined;
}

function timestampOf(value: string | Date | undefined, now: number): number {
  const parsed = value === undefined ? Number.NaN : typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : now;
}

/** Drops what the bot would refuse (an id over 256 characters, say) rather than passing it on. */
function valid(candidate: unknown): Inbound[] {
  const parsed = Inbound.safeParse(candidate);
  return parsed.success ? [parsed.data] : [];
}
