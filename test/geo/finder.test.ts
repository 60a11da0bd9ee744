// The finder: eligibility, opening times in Honduras time, ambiguous places, honest fallbacks,
// and the spatial index agreeing with a plain scan at 100,000 facilities.
import type { CenterFile } from '../../src/content/facts-schema.js';
import { haversineKm } from '../../src/geo/distance.js';
import { accepts, AGE_RANGES } from '../../src/geo/eligibility.js';
import { buildIndex, nearestCenters } from '../../src/geo/nearest.js';
import { hondurasTime, isOpen, openingAt } from '../../src/geo/opening.js';
import { matchPlace } from '../../src/understand/place-match.js';
import { catalog } from '../helpers/bot.js';

const center = (id: string) => catalog.centers.find((c) => c.id === id)!;
const SAN_PEDRO_SULA = { lat: 15.5059, lon: -88.0259 };
const TEGUCIGALPA = { lat: 14.0818, lon: -87.2068 };

describe('eligibility', () => {
  test('CAMR Belén takes only under-18s; Omoa and Lima only adults', () => {
    expect(accepts(center('camr-belen'), { ages: AGE_RANGES.under_18 })).toBe(true);
    expect(accepts(center('camr-belen'), { ages: AGE_RANGES.adult })).toBe(false);
    expect(accepts(center('camr-omoa'), { ages: [17, 17] })).toBe(false);
    expect(accepts(center('camr-omoa'), { ages: [18, 18] })).toBe(true);
    expect(accepts(center('camr-lima'), { ages: AGE_RANGES.older })).toBe(true);
    expect(accepts(center('camr-lima'), {})).toBe(true);
  });

  test('population groups', () => {
    expect(accepts(center('cami-choluteca'), { group: 'transit' })).toBe(true);
    expect(accepts(center('cami-choluteca'), { group: 'returned' })).toBe(false);
    expect(accepts(center('camr-omoa'), { group: 'transit' })).toBe(false);
  });

  test('nearest shelter for a returned teenager in San Pedro Sula is Belén; for an adult it is not', () => {
    const index = buildIndex(catalog.centers);
    const teen = nearestCenters(index, { ...SAN_PEDRO_SULA, service: 'shelter', person: { group: 'returned', ages: AGE_RANGES.under_18 } });
    expect(teen.map((r) => r.center.id)).toEqual(['camr-belen']);
    const adult = nearestCenters(index, { ...SAN_PEDRO_SULA, service: 'shelter', person: { group: 'returned', ages: AGE_RANGES.adult } });
    expect(adult.map((r) => r.center.id)).toEqual(['camr-omoa']);
    expect(adult[0]!.km).toBeGreaterThan(25);
  });

  test('networks and centers closed for good are never offered as a place', () => {
    const closed: CenterFile = { ...center('camr-belen'), id: 'closed-one', status: 'closed' };
    const index = buildIndex([...catalog.centers, closed]);
    const all = nearestCenters(index, { ...SAN_PEDRO_SULA, limit: 50 });
    expect(all.map((r) => r.center.id)).not.toContain('closed-one');
    expect(all.map((r) => r.center.id)).not.toContain('uaps-cis');
    expect(all.map((r) => r.center.id)).not.toContain('osi');
  });
});

describe('opening times in Honduras time', () => {
  // Honduras is UTC-6 all year.
  const at = (iso: string) => new Date(iso);

  test('the clock is read in America/Tegucigalpa', () => {
    expect(hondurasTime(at('2026-12-03T03:30:00Z'))).toEqual({ day: 'wed', time: '21:30' });
  });

  test('Omoa: open on a Wednesday (hours unknown), closed on Monday and opening Wednesday', () => {
    const omoa = center('camr-omoa').hours;
    expect(openingAt(omoa, at('2026-12-02T15:00:00-06:00'))).toEqual({ state: 'open_today_hours_unknown', day: 'wed' });
    expect(openingAt(omoa, at('2026-11-30T15:00:00-06:00'))).toEqual({ state: 'closed', next: { day: 'wed', today: false } });
    expect(openingAt(omoa, at('2026-12-04T23:30:00-06:00'))).toMatchObject({ state: 'open_today_hours_unknown', day: 'fri' });
    expect(isOpen(openingAt(omoa, at('2026-12-02T15:00:00-06:00')))).toBeNull();
  });

  test('with hours: open now, opening later today, and the next day', () => {
    const hours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, times: [{ open: '08:00', close: '12:00' }, { open: '13:00', close: '16:00' }] };
    const h = { days: [...hours.days], times: hours.times };
    expect(openingAt(h, at('2026-12-02T09:00:00-06:00'))).toEqual({ state: 'open', closes: '12:00' });
    expect(openingAt(h, at('2026-12-02T12:30:00-06:00'))).toEqual({ state: 'closed', next: { day: 'wed', today: true, time: '13:00' } });
    expect(openingAt(h, at('2026-12-04T17:00:00-06:00'))).toEqual({ state: 'closed', next: { day: 'mon', today: false, time: '08:00' } });
    // 01:00 UTC Saturday is still Friday 19:00 in Honduras: closed, next Monday.
    expect(openingAt(h, at('2026-12-05T01:00:00Z'))).toEqual({ state: 'closed', next: { day: 'mon', today: false, time: '08:00' } });
    expect(isOpen(openingAt(h, at('2026-12-02T09:00:00-06:00')))).toBe(true);
  });

  test('unknown hours stay unknown', () => {
    expect(openingAt('unknown', new Date())).toEqual({ state: 'unknown' });
  });
});

describe('places people type', () => {
  test.each([
    ['Tegus', 'tegucigalpa'],
    ['san pedro', 'san-pedro-sula'],
    ['SPS', 'san-pedro-sula'],
    ['Danli', 'danli'],
    ['choluteca centro', 'ciudad-choluteca'],
    ['la ceiba', 'la-ceiba'],
    ['tegucijalpa', 'tegucigalpa'],
    ['necesito comida en san pedro sula', 'san-pedro-sula'],
    // The longest name written wins, wherever each name is in the message.
    ['vengo de danli y estoy en san pedro sula', 'san-pedro-sula'],
    ['san pedro sula, pero voy a danli', 'san-pedro-sula'],
  ])('%s → %s', (text, id) => {
    const match = matchPlace(text, catalog.places);
    expect(match.kind === 'found' && match.place.id).toBe(id);
  });

  test('a name several towns share is ambiguous, with their departments to tell them apart', () => {
    const match = matchPlace('El Porvenir', catalog.places);
    expect(match.kind).toBe('ambiguous');
    if (match.kind === 'ambiguous') {
      expect(match.candidates.length).toBeGreaterThan(1);
      expect(new Set(match.candidates.map((c) => c.label)).size).toBe(match.candidates.length);
    }
  });

  test('needs and greetings are not places', () => {
    for (const text of ['comida', 'hola', 'doctor', 'mwen bezwen manje', 'psicologo']) expect(matchPlace(text, catalog.places).kind).toBe('none');
  });
});

describe('100,000 facilities', () => {
  // A deterministic spread of synthetic facilities over Honduras.
  let seed = 42;
  const random = () => {
    // mulberry32: a small, well-spread 32-bit generator (integer math, no float overflow).
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const template = center('camr-omoa');
  const facilities: CenterFile[] = Array.from({ length: 100_000 }, (_, i) => ({
    ...template,
    id: `f-${i}`,
    serves: { groups: ['transit', 'returned', 'resident'] },
    services: i % 3 === 0 ? ['vaccines'] : ['meals'],
    location: { lat: 13 + random() * 3, lon: -89 + random() * 5, precision_km: 0.1 },
  }));
  const index = buildIndex(facilities);

  test('the index ranks exactly as a plain scan does', () => {
    for (const point of [SAN_PEDRO_SULA, TEGUCIGALPA, { lat: 13.3, lon: -87.19 }]) {
      const fast = nearestCenters(index, { ...point, service: 'vaccines', limit: 5 }).map((r) => r.center.id);
      const scan = facilities
        .filter((f) => f.services.includes('vaccines'))
        .map((f) => ({ id: f.id, km: haversineKm(point, f.location!) }))
        .sort((a, b) => a.km - b.km)
        .slice(0, 5)
        .map((f) => f.id);
      expect(fast).toEqual(scan);
    }
  });

  test('with people the facilities accept, and a service nobody offers, as a plain scan would', () => {
    const someOnlyForAdults = facilities.map((f, i) => (i % 2 ? { ...f, serves: { ...f.serves, min_age: 18 } } : f));
    const mixed = buildIndex(someOnlyForAdults);
    const teen = { group: 'returned' as const, ages: AGE_RANGES.under_18 };
    const fast = nearestCenters(mixed, { ...TEGUCIGALPA, service: 'vaccines', person: teen, limit: 5 }).map((r) => r.center.id);
    const scan = someOnlyForAdults
      .filter((f) => f.services.includes('vaccines') && accepts(f, teen))
      .map((f) => ({ id: f.id, km: haversineKm(TEGUCIGALPA, f.location!) }))
      .sort((a, b) => a.km - b.km)
      .slice(0, 5)
      .map((f) => f.id);
    expect(fast).toEqual(scan);
    expect(nearestCenters(mixed, { ...TEGUCIGALPA, service: 'legal_aid' })).toEqual([]);
  });

  test('a distance limit is respected', () => {
    const near = nearestCenters(index, { ...TEGUCIGALPA, maxKm: 5, limit: 1000 });
    expect(near.length).toBeGreaterThan(0);
    for (const r of near) expect(r.km).toBeLessThanOrEqual(5.0001);
  });
});
