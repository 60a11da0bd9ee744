// Checks of the fact files against each other and against the texts: every service described,
// every center's texts present, file names matching ids, and reviews that are due.
import { basename } from 'node:path';
import { SERVICE_IDS, type CenterFile, type Review, type ServicesFile, type TopicFile } from './facts-schema.js';
import { haversineKm } from '../geo/distance.js';
import type { Gazetteer } from './places.js';
import type { Problem } from './problems.js';
import type { YamlFile } from './yaml-file.js';

export interface Loaded<T> {
  value: T;
  yaml: YamlFile;
}

interface Input {
  services: Loaded<ServicesFile>;
  centers: Loaded<CenterFile>[];
  topics: Loaded<TopicFile>[];
  hasText: (key: string) => boolean;
  places: Gazetteer;
  today: string;
}

export function checkFacts({ services, centers, topics, hasText, places, today }: Input): Problem[] {
  const problems: Problem[] = [];
  const error = (yaml: YamlFile, path: PropertyKey[], message: string) =>
    problems.push({ file: yaml.file, line: yaml.lineOf(path), message, severity: 'error' });
  const requireText = (yaml: YamlFile, path: PropertyKey[], key: string) => {
    if (!hasText(key)) error(yaml, path, `the text "${key}" does not exist in locales/es/`);
  };
  const reviewDue = (yaml: YamlFile, path: PropertyKey[], review: Review, what: string) => {
    if (review.next < today) {
      problems.push({ file: yaml.file, line: yaml.lineOf([...path, 'next']), message: `${what} was due for review on ${review.next}: check it and update "reviewed"`, severity: 'warning' });
    }
  };

  for (const id of SERVICE_IDS) {
    const service = services.value.services[id];
    if (!service) {
      error(services.yaml, ['services'], `the service "${id}" is missing`);
      continue;
    }
    requireText(services.yaml, ['services', id], `services.${id}.name`);
    requireText(services.yaml, ['services', id], `services.${id}.description`);
    reviewDue(services.yaml, ['services', id, 'reviewed'], service.reviewed, `the service "${id}"`);
  }

  const centerIds = new Map<string, string>();
  for (const { value: center, yaml } of centers) {
    if (basename(yaml.file).replace(/\.ya?ml$/, '') !== center.id) {
      error(yaml, ['id'], `the file name must be the center id: rename the file to ${center.id}.yaml or fix the id`);
    }
    const other = centerIds.get(center.id);
    if (other) error(yaml, ['id'], `the center id "${center.id}" is also used by ${other}`);
    centerIds.set(center.id, yaml.file);
    for (const [field, key] of Object.entries(center.texts)) if (key) requireText(yaml, ['texts', field], key);
    const location = center.location;
    if (location?.place) {
      const place = places.places.find((p) => p.id === location.place) ?? places.departments.find((d) => d.id === location.place);
      if (!place) error(yaml, ['location', 'place'], `"${location.place}" is not a place in content/places/`);
      else {
        const km = haversineKm(location, place);
        // A center said to be in a town must sit within its stated precision of that town.
        if (km > location.precision_km + 0.5) {
          error(yaml, ['location'], `is ${km.toFixed(1)} km from ${place.name}, more than its precision of ${location.precision_km} km: check lat/lon or place`);
        }
      }
    }
    reviewDue(yaml, ['reviewed'], center.reviewed, `the center "${center.id}"`);
  }

  const topicIds = new Map<string, string>();
  for (const { value: topic, yaml } of topics) {
    const other = topicIds.get(topic.id);
    if (other) error(yaml, ['id'], `the topic id "${topic.id}" is also used by ${other}`);
    topicIds.set(topic.id, yaml.file);
    requireText(yaml, ['title'], topic.title);
    const sectionIds = new Set<string>();
    topic.sections.forEach((section, i) => {
      if (sectionIds.has(section.id)) error(yaml, ['sections', i, 'id'], `the section id "${section.id}" is used twice`);
      sectionIds.add(section.id);
      requireText(yaml, ['sections', i, 'text'], section.text);
    });
    reviewDue(yaml, ['reviewed'], topic.reviewed, `the topic "${topic.id}"`);
  }
  return problems;
}
