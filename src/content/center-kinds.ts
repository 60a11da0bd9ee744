// Small vocabularies shared by the flow schema and the fact schemas.
export const CENTER_KINDS = ['cami', 'camr', 'umar', 'osi', 'uaps_cis'] as const;
export type CenterKind = (typeof CENTER_KINDS)[number];
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
