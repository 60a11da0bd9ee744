// The service finder's actions: remember the service asked for, then find the nearest centers
// that offer it and accept the person, from a shared location or a typed place name.
import type { Catalog } from '../content/catalog.js';
import type { ServiceId } from '../content/facts-schema.js';
import type { Action } from '../content/schema.js';
import { AGE_RANGES, type Person } from '../geo/eligibility.js';
import { buildIndex, nearestCenters, type CenterIndex, type Nearby } from '../geo/nearest.js';
import { openingAt, type Opening } from '../geo/opening.js';
import type { Location, Reply } from '../model/message.js';
import { pickChoice } from '../understand/choice.js';
import { understandIntent } from '../understand/intent.js';
import { matchPlace, placeById } from '../understand/place-match.js';
import { formatDate } from './cards.js';
import type { Session } from './session.js';
import type { Turn } from './turn.js';

type FindCenters = Extract<Action, { action: 'find_centers' }>;

const indexes = new WeakMap<Catalog['centers'], CenterIndex>();
function indexOf(centers: Catalog['centers']): CenterIndex {
  let index = indexes.get(centers);
  if (!index) indexes.set(centers, (index = buildIndex(centers)));
  return index;
}

export function personOf(session: Session): Person {
  return { group: session.profile.group, ages: session.profile.age && AGE_RANGES[session.profile.age] };
}

export function chooseServiceFromText(turn: Turn, text: string | undefined): 'found' | 'unknown' {
  const understood = text ? understandIntent(text, turn.catalog) : undefined;
  if (understood?.intent !== 'find_service' || !understood.service) return 'unknown';
  turn.session.finding = { service: understood.service };
  return 'found';
}

export function findCenters(turn: Turn, action: FindCenters, input: { text?: string; choice?: string; location?: Location }): string {
  const { session, catalog } = turn;
  let point: { lat: number; lon: number } | undefined = input.location;

  if (!point && (input.text !== undefined || input.choice !== undefined)) {
    const offered = (session.candidates ?? []).map((id) => placeById(id, catalog.places)).filter((p) => p !== undefined);
    const picked = pickChoice(input, offered.map((p) => ({ id: p.id, labels: [p.label] })));
    if (picked) point = placeById(picked.id, catalog.places);
    else {
      const match = matchPlace(input.text ?? input.choice ?? '', catalog.places, { fuzzy: !action.place_optional });
      if (match.kind === 'ambiguous') {
        session.candidates = match.candidates.slice(0, 5).map((p) => p.id);
        return 'ambiguous';
      }
      if (match.kind === 'none') {
        if (action.place_optional) return 'need_place';
        turn.say('find.unknown_place');
        return 'unknown_place';
      }
      point = match.place;
    }
  }
  if (!point) return 'need_place';
  delete session.candidates;

  const service = session.finding?.service;
  const person = personOf(session);
  const found = nearestCenters(indexOf(catalog.centers), { ...point, service, person, maxKm: action.max_km, limit: action.results });
  const serviceName = service ? turn.text(`services.${service}.name`) : undefined;
  if (!found.length) {
    noneNearby(turn, point, service, serviceName, action.max_km);
    return 'none';
  }
  turn.replies.push({ text: serviceName ? turn.text('find.results_for', { service: serviceName }) : turn.text('find.results') });
  for (const nearby of found) turn.replies.push(resultCard(turn, nearby, service));
  return 'found';
}

/** Nothing suitable within reach: say so, say what is nearest if anything, and what still works. */
function noneNearby(turn: Turn, point: { lat: number; lon: number }, service: ServiceId | undefined, serviceName: string | undefined, maxKm: number): void {
  const lines = [turn.text('find.none', { service: serviceName ?? turn.text('find.any_service'), km: String(maxKm) })];
  const farther = nearestCenters(indexOf(turn.catalog.centers), { ...point, service, person: personOf(turn.session), limit: 1 })[0];
  if (farther) lines.push(turn.text('find.nearest_far', { name: farther.center.name, km: formatKm(farther.km) }));
  const publicNetwork = turn.catalog.centers.find((c) => c.kind === 'uaps_cis' && c.status === 'open');
  if (!service || publicNetwork?.services.includes(service)) {
    lines.push(turn.text('find.public_health'));
    const rights = turn.catalog.topics.get('rights');
    // The rights that always apply, and those about this very service.
    const shown = rights?.sections.filter((s) => s.id === 'equal_access' || s.id === 'irregular_care' || (service && s.services?.includes(service))) ?? [];
    lines.push(...shown.map((s) => `• ${turn.text(s.text)}`));
  }
  lines.push(turn.text('find.emergency_reminder'));
  turn.replies.push({ text: lines.join('\n') });
}

export function formatKm(km: number): string {
  return km < 10 ? km.toFixed(1) : String(Math.round(km));
}

function resultCard(turn: Turn, { center, km }: Nearby, service: ServiceId | undefined): Reply {
  const t = (key: string, values?: Record<string, string>) => turn.text(key, values);
  // A center placed at its town's centre is "within 5 km", not "0.0 km" away.
  const precision = center.location!.precision_km;
  const distance = km <= precision ? t('find.km_within', { km: formatKm(precision) }) : t('find.km', { km: formatKm(km) });
  const lines = [`${center.name} — ${distance}`];
  if (service) lines.push(t('find.offers', { service: t(`services.${service}.name`) }));
  const who = center.serves.groups.map((g) => t(`centers.groups.${g}`)).join(', ');
  lines.push([t('centers.card.serves', { who }), center.texts.serves_note && t(center.texts.serves_note)].filter(Boolean).join(' '));
  lines.push([openingText(turn, openingAt(center.hours, turn.now)), center.texts.hours_note && t(center.texts.hours_note)].filter(Boolean).join(' '));
  if (center.address) lines.push(t('centers.card.address', { address: center.address }));
  lines.push(t('centers.card.last_checked', { date: formatDate(center.reviewed.on, turn.lang) }));
  const { lat, lon } = center.location!;
  return {
    text: lines.join('\n'),
    location: { lat, lon, name: center.name },
    link: { url: `https://www.google.com/maps/search/?api=1&query=${lat},${lon}`, label: t('centers.card.map') },
  };
}

export function openingText(turn: Turn, opening: Opening): string {
  const t = (key: string, values?: Record<string, string>) => turn.text(key, values);
  switch (opening.state) {
    case 'unknown':
      return t('centers.card.hours_unknown');
    case 'open_today_hours_unknown':
      return t('find.open_today_hours_unknown');
    case 'open':
      return t('find.open_now', { closes: opening.closes });
    case 'closed': {
      if (!opening.next) return t('find.closed');
      const day = opening.next.today ? t('find.today') : t(`centers.days.${opening.next.day}`);
      return opening.next.time ? t('find.closed_opens_at', { day, time: opening.next.time }) : t('find.closed_opens_on', { day });
    }
  }
}

