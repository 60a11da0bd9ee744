// The shape of every content file, as zod schemas; the TypeScript types are inferred from them.
import { z } from 'zod';
import { Language } from '../model/message.js';
import { CENTER_KINDS, DAYS } from './center-kinds.js';
import { ServiceId } from './service-ids.js';

const slug = z.string().regex(/^[a-z0-9_]+$/, 'use only lower-case letters, digits and _');
export const NodeRef = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)?$/, 'must name a node, like "menu" (same flow) or "main.menu" (another flow)');
export const TextKey = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be a translation key like "menu.title" (see locales/)');

export const GROUPS = ['transit', 'returned', 'resident'] as const;
export const AGE_GROUPS = ['under_18', 'adult', 'older'] as const;
export const Group = z.enum(GROUPS);
export const AgeGroup = z.enum(AGE_GROUPS);

export const Action = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('set_language'), value: Language }),
  z.strictObject({ action: z.literal('detect_language') }),
  z
    .strictObject({ action: z.literal('set_profile'), group: Group.optional(), age: AgeGroup.optional() })
    .refine((a) => a.group || a.age, 'set_profile needs "group" or "age"'),
  // A topic file in content/topics/, whole or one of its sections.
  z.strictObject({ action: z.literal('show_topic'), topic: slug, section: slug.optional() }),
  z.strictObject({ action: z.literal('show_centers'), kind: z.enum(CENTER_KINDS) }),
  // Remembers which service the person is looking for (the next find_centers uses it).
  z.strictObject({ action: z.literal('choose_service'), service: ServiceId }),
  z.strictObject({ action: z.literal('choose_service_from_text') }),
  z.strictObject({
    action: z.literal('find_centers'),
    max_km: z.number().positive().default(100),
    results: z.number().int().min(1).max(10).default(3),
    // From a request like "tengo hambre", where naming no place means "ask where", not "unknown place".
    place_optional: z.boolean().default(false),
  }),
  // "say" replaces the confirmation: the quick exit ends with a neutral line that reveals nothing.
  z.strictObject({ action: z.literal('delete_data'), say: TextKey.optional() }),
]);
export type Action = z.infer<typeof Action>;

/** Either one node, or one node per outcome of the action (e.g. detected / unknown). */
export const Next = z.union([NodeRef, z.record(slug, NodeRef)]);
export type Next = z.infer<typeof Next>;

export const FlowChoice = z.strictObject({
  id: slug,
  label: TextKey,
  do: Action.optional(),
  // Without "next", the choice must be a global command (menu, back, language, …).
  next: Next.optional(),
});
export type FlowChoice = z.infer<typeof FlowChoice>;

const text = { text: TextKey, all_languages: z.boolean().optional() };

export const FlowNode = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('say'), ...text, next: Next }),
  z.strictObject({ type: z.literal('menu'), ...text, choices: z.array(FlowChoice).min(1).max(10) }),
  z.strictObject({
    type: z.literal('ask'),
    ...text,
    expect: z.enum(['text', 'location', 'location_or_text']),
    // Offer the places the person's answer could mean ("which San José?") as choices.
    offer: z.literal('places').optional(),
    do: Action,
    next: Next,
  }),
  // "next" may be left out only after an action that ends the conversation (delete_data).
  z.strictObject({ type: z.literal('action'), do: Action, next: Next.optional() }),
  z.strictObject({ type: z.literal('goto'), next: NodeRef }),
]);
export type FlowNode = z.infer<typeof FlowNode>;

export const FlowFile = z.strictObject({
  version: z.literal(1),
  flow: slug,
  nodes: z.record(slug, FlowNode),
});
export type FlowFile = z.infer<typeof FlowFile>;

export const COMMANDS = ['menu', 'back', 'language', 'emergency', 'help', 'delete_data', 'quick_exit'] as const;
export const CommandName = z.enum(COMMANDS);
export type CommandName = z.infer<typeof CommandName>;

export const UNDERSTOOD_INTENTS = ['find_service', 'find_center', 'rights', 'risks', 'emergency', 'language', 'delete_data', 'human', 'menu', 'stop'] as const;

export const ConversationFile = z.strictObject({
  version: z.literal(1),
  entry: NodeRef,
  home: NodeRef,
  intents: z.partialRecord(z.enum(UNDERSTOOD_INTENTS), NodeRef).default({}),
  commands: z.partialRecord(
    CommandName,
    z.strictObject({
      // "back" has no node: it returns to where the person was.
      node: NodeRef.optional(),
      // exact: the whole message is the phrase; contains: the phrase appears anywhere (emergency).
      match: z.enum(['exact', 'contains']).default('exact'),
      phrases: z.array(z.string().min(1)).min(1),
    }),
  ),
});
export type ConversationFile = z.infer<typeof ConversationFile>;

export const LanguagesFile = z.strictObject({
  version: z.literal(1),
  languages: z.partialRecord(Language, z.strictObject({ markers: z.array(z.string().min(1)).min(1) })),
});
export type LanguagesFile = z.infer<typeof LanguagesFile>;

/** A locale file: nested keys whose leaves are texts. */
export type LocaleTree = { [key: string]: string | LocaleTree };
export const LocaleTree: z.ZodType<LocaleTree> = z.lazy(() =>
  z.record(z.string().regex(/^[a-z0-9_]+$/, 'keys use lower-case letters, digits and _'), z.union([z.string(), LocaleTree])),
);

/** Actions after which the conversation is over and nothing is kept. */
export const ENDS_CONVERSATION: readonly Action['action'][] = ['delete_data'];

/** Outcomes an action can lead to; a node's "next" may name one node per outcome. */
export const ACTION_OUTCOMES: Partial<Record<Action['action'], readonly string[]>> = {
  detect_language: ['detected', 'unknown'],
  choose_service_from_text: ['found', 'unknown'],
  find_centers: ['found', 'none', 'ambiguous', 'unknown_place', 'need_place'],
};

/** Words of the web chat page itself (locales/<lang>/webchat.yaml). */
export const WEBCHAT_TEXTS = [
  'conversation', 'message_label', 'placeholder', 'send', 'locate', 'located', 'map',
  'options', 'offline', 'failed', 'no_location', 'retry', 'needs_javascript',
] as const;

/** Texts the code itself shows (not named in any flow); the content check requires them. */
export const REQUIRED_TEXTS: readonly string[] = [
  'errors.not_understood',
  'errors.expected_location',
  'errors.expected_text',
  'errors.internal',
  'errors.no_memory',
  'errors.slow_down',
  'errors.delete_unavailable',
  'privacy.deleted',
  ...['unknown_place', 'results', 'results_for', 'none', 'any_service', 'nearest_far', 'public_health', 'emergency_reminder', 'km', 'km_within', 'offers', 'open_today_hours_unknown', 'open_now', 'closed', 'today', 'closed_opens_at', 'closed_opens_on'].map((k) => `find.${k}`),
  'topics.last_checked',
  ...['serves', 'services', 'hours_unknown', 'hours_days', 'hours_times', 'address', 'no_direct_care', 'last_checked', 'map'].map((k) => `centers.card.${k}`),
  ...GROUPS.map((g) => `centers.groups.${g}`),
  ...DAYS.map((d) => `centers.days.${d}`),
  ...CENTER_KINDS.map((k) => `centers.kinds.${k}`),
  ...WEBCHAT_TEXTS.map((key) => `webchat.${key}`),
];
