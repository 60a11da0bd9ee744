// The shape of the fact files staff keep true: services, centers and topics (rights, risks,
// emergency). Every fact carries its source and every item its review date.
import { z } from 'zod';
import { CENTER_KINDS, DAYS } from './center-kinds.js';
import { Group, TextKey } from './schema.js';
import { ServiceId } from './service-ids.js';

export { SERVICE_IDS, ServiceId } from './service-ids.js';

const isoDate = z.iso.date({ error: 'must be a date written as YYYY-MM-DD' });
/** A citation: "Assessment, Annex E" or another source that a reader can find. */
const Source = z.string().min(8, 'name the source: the assessment and its section or table, or another document');

/** Who last checked an item, and until when it can be trusted without a new check. */
export const Review = z.strictObject({
  on: isoDate,
  by: z.string().min(2, 'a role, like "communication officer" (never a person\'s name)'),
  next: isoDate,
});
export type Review = z.infer<typeof Review>;

export const ServicesFile = z.strictObject({
  version: z.literal(1),
  services: z.partialRecord(
    ServiceId,
    z.strictObject({
      icon: z.string().max(8).optional(),
      // The name and description are texts: services.<id>.name and services.<id>.description.
      source: Source,
      reviewed: Review,
    }),
  ),
});
export type ServicesFile = z.infer<typeof ServicesFile>;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 08:00 or 16:30');

export const Hours = z.union([
  z.literal('unknown'),
  z.strictObject({
    days: z.array(z.enum(DAYS)).min(1),
    // Opening and closing times each day; "unknown" when only the days are known.
    times: z.union([z.literal('unknown'), z.array(z.strictObject({ open: time, close: time })).min(1)]),
  }),
]);
export type Hours = z.infer<typeof Hours>;

export const CenterFile = z
  .strictObject({
    version: z.literal(1),
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by -, like camr-omoa'),
    kind: z.enum(CENTER_KINDS),
    name: z.string().min(2),
    status: z.enum(['open', 'closed']),
    /** A network of many places (all OSIs, all UAPS/CIS) rather than one center. */
    network: z.boolean().default(false),
    /** False for offices that do not treat people themselves (OSI). */
    direct_care: z.boolean(),
    operator: z.string().min(2),
    serves: z.strictObject({
      groups: z.array(Group).min(1),
      min_age: z.number().int().min(0).max(120).optional(),
      max_age: z.number().int().min(0).max(120).optional(),
    }),
    services: z.array(ServiceId),
    hours: Hours,
    location: z
      .strictObject({
        lat: z.number().min(12.9).max(17.5, 'is outside Honduras'),
        lon: z.number().min(-89.4).max(-83.1, 'is outside Honduras'),
        precision_km: z.number().positive(),
        place: z.string().optional(),
      })
      .optional(),
    address: z.string().min(2).optional(),
    contact: z.string().min(3).optional(),
    /** Texts for people: what the center is (about), and notes on hours or who it serves.
     *  Imported facilities usually have none; their kind says enough. */
    texts: z.strictObject({ about: TextKey.optional(), hours_note: TextKey.optional(), serves_note: TextKey.optional() }).default({}),
    sources: z.partialRecord(z.enum(['kind', 'name', 'status', 'operator', 'serves', 'services', 'hours', 'location', 'address', 'contact']), Source),
    reviewed: Review,
  })
  .superRefine((center, ctx) => {
    if (!center.network && center.status === 'open' && !center.location) {
      ctx.addIssue({ code: 'custom', path: ['location'], message: `a center needs a location (lat, lon, precision_km); only networks may have none` });
    }
    if (center.serves.min_age !== undefined && center.serves.max_age !== undefined && center.serves.min_age > center.serves.max_age) {
      ctx.addIssue({ code: 'custom', path: ['serves'], message: 'min_age is above max_age' });
    }
    // Every fact written in the file names where it comes from.
    const facts = ['kind', 'name', 'status', 'operator', 'serves', 'services', 'hours', 'location', 'address', 'contact'] as const;
    for (const fact of facts) {
      const present = fact === 'hours' ? center.hours !== 'unknown' : center[fact] !== undefined;
      if (present && !center.sources[fact]) {
        ctx.addIssue({ code: 'custom', path: ['sources'], message: `says where "${fact}" comes from nowhere: add "${fact}: <source>" under sources` });
      }
    }
  });
export type CenterFile = z.infer<typeof CenterFile>;

export const TopicFile = z.strictObject({
  version: z.literal(1),
  id: z.string().regex(/^[a-z0-9_]+$/),
  title: TextKey,
  reviewed: Review,
  /** Shown under the topic, so people know how fresh it is. */
  show_last_checked: z.boolean().default(false),
  sections: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9_]+$/),
        text: TextKey,
        source: Source,
        /** Services that help with this (the finder can offer them). */
        services: z.array(ServiceId).optional(),
      }),
    )
    .min(1),
});
export type TopicFile = z.infer<typeof TopicFile>;
