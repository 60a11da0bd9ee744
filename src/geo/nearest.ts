// The nearest open centers that offer a service and accept a person, through spatial indexes
// (kdbush + geokdbush), so the same code answers for 10 centers or 100,000 facilities. There is
// one index of every center and one per service, so a search for a service never walks past
// the many places that do not offer it.
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { CenterFile, ServiceId } from '../content/facts-schema.js';
import { haversineKm } from './distance.js';
import { accepts, type Person } from './eligibility.js';

type Located = CenterFile & { location: NonNullable<CenterFile['location']> };

interface PointIndex {
  centers: readonly Located[];
  index: KDBush;
}

export interface CenterIndex {
  all: PointIndex;
  byService: ReadonlyMap<ServiceId, PointIndex>;
}

function pointIndex(centers: readonly Located[]): PointIndex {
  const index = new KDBush(Math.max(centers.length, 1));
  for (const c of centers) index.add(c.location.lon, c.location.lat);
  if (!centers.length) index.add(0, 0); // kdbush needs one point; it is never returned (no center at it)
  index.finish();
  return { centers, index };
}

/** Only single places that are open can be near someone; networks and closed centers are not indexed. */
export function buildIndex(all: readonly CenterFile[]): CenterIndex {
  const centers = all.filter((c): c is Located => !c.network && c.status === 'open' && c.location !== undefined);
  const offering = new Map<ServiceId, Located[]>();
  for (const c of centers) {
    for (const service of new Set(c.services)) {
      const list = offering.get(service);
      if (list) list.push(c);
      else offering.set(service, [c]);
    }
  }
  return { all: pointIndex(centers), byService: new Map([...offering].map(([service, list]) => [service, pointIndex(list)])) };
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

export function nearestCenters(index: CenterIndex, query: NearestQuery): Nearby[] {
  const searched = query.service ? index.byService.get(query.service) : index.all;
  if (!searched) return [];
  const { centers } = searched;
  const person = query.person ?? {};
  const wanted = (i: number) => {
    const center = centers[i];
    return center !== undefined && accepts(center, person);
  };
  const ids = around(searched.index, query.lon, query.lat, query.limit ?? 3, query.maxKm ?? Infinity, wanted);
  return ids.map((i) => {
    const center = centers[i]!;
    return { center, km: haversineKm(query, center.location) };
  });
}
