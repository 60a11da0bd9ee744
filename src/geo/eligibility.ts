// Who a center accepts: its population groups and its age limits, against what a person told us.
import type { CenterFile } from '../content/facts-schema.js';
import type { AGE_GROUPS, GROUPS } from '../content/schema.js';

export type Group = (typeof GROUPS)[number];
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** The ages an age group covers, so "under 18" can be checked against "only adults". */
export const AGE_RANGES: Record<AgeGroup, [number, number]> = { under_18: [0, 17], adult: [18, 59], older: [60, 120] };

export interface Person {
  group?: Group;
  /** An exact age, or the range of an age group; unknown when absent. */
  ages?: [number, number];
}

/** A center accepts a person unless what we know of them rules it out. */
export function accepts(center: CenterFile, person: Person): boolean {
  if (person.group && !center.serves.groups.includes(person.group)) return false;
  if (person.ages) {
    const [youngest, oldest] = person.ages;
    if (center.serves.max_age !== undefined && youngest > center.serves.max_age) return false;
    if (center.serves.min_age !== undefined && oldest < center.serves.min_age) return false;
  }
  return true;
}
