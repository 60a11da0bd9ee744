// The nearest open centers that offer a service and accept a person, through a spatial index
// (kdbush + geokdbush), so the same code answers for 10 centers or 100,000 facilities.
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { CenterFile, ServiceId } from '../content/facts-schema.js';
import { haversineKm } from './distance.js';
import { accepts, type Person } from './eligibility.js';

export interface CenterIndex {
  centers: readonly CenterFile[];
  index: KDBush;
}

type Located = CenterFile & { location: NonNullable<CenterFile['location']> };

/** Only single places that are open can be near someone; networks and closed centers are not indexed. */
export function buildIndex(all: readonly CenterFile[]): CenterIndex {
  const centers = all.filter((c): c is Located => !c.network && c.status === 'open' && c.location !== undefined);
  const index = new KDBush(Math.max(centers.length, 1));
  for (const c of centers) index.add(c.location.lon, c.location.lat);
  if (!centers.length) index.add(0, 0); // kdbush needs one point; it is never returned (no center at it)
  index.finish();
  return { centers, index };
}

export interface NearestQuery {
  lat: number;
  lon: number;
  service?: ServiceId;
  person?: Person;
  maxKm?: number;
  limit?: number;
}

export interface Nearby {
  center: CenterFile;
  km: number;
}

export function nearestCenters({ centers, index }: CenterIndex, query: NearestQuery): Nearby[] {
  const person = query.person ?? {};
  const wanted = (i: number) => {
    const center = centers[i];
    return center !== undefined && (!query.service || center.services.includes(query.service)) && accepts(center, person);
  };
  const ids = around(index, query.lon, query.lat, query.limit ?? 3, query.maxKm ?? Infinity, wanted);
  return ids.map((i) => {
    const center = centers[i]!;
    return { center, km: haversineKm(query, center.location!) };
  });
}
