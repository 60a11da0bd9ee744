// Loads and checks the whole catalog. Any problem is reported with file and line; a catalog
// with errors is never returned, so a typo can never reach a person.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { LANGUAGES } from '../model/message.js';
import { makeTextLookup, type Catalog, type Command } from './catalog.js';
import { checkCatalog, type LoadedFlow, type LoadedLocale, type LoadedStatus } from './check.js';
import { TRANSLATION_STATUS_FILE, TranslationStatusFile } from './translations.js';
import { checkFacts, type Loaded } from './check-facts.js';
import { CenterFile, ServicesFile, TopicFile } from './facts-schema.js';
import { KeywordsFile } from './keywords.js';
import { loadPlaces } from './places.js';
import type { Problem } from './problems.js';
import { ConversationFile, FlowFile, LanguagesFile, LocaleTree } from './schema.js';
import { readValidated } from './yaml-file.js';

export interface LoadResult {
  catalog?: Catalog;
  problems: Problem[];
}

function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

export interface LoadOptions {
  /** The day reviews are judged against (YYYY-MM-DD); today by default. */
  today?: string;
}

/** Files whose name starts with _ keep records about the texts (translation status), not texts. */
const isBookkeeping = (path: string) => /[\\/]_[^\\/]*$/.test(path);

export function loadCatalog(root: string, options: LoadOptions = {}): LoadResult {
  const problems: Problem[] = [];
  const read = <T>(path: string, schema: import('zod').ZodType<T>) => readValidated(root, path, schema, problems);

  function readAll<T>(dir: string, schema: import('zod').ZodType<T>): Loaded<T>[] {
    const loaded: Loaded<T>[] = [];
    for (const path of yamlFilesIn(dir)) {
      const { value, yaml } = read(path, schema);
      if (value !== undefined && yaml) loaded.push({ value, yaml });
    }
    return loaded;
  }

  const conversation = read(join(root, 'content', 'conversation.yaml'), ConversationFile);
  const languages = read(join(root, 'content', 'languages.yaml'), LanguagesFile);

  const flows: LoadedFlow[] = [];
  for (const path of yamlFilesIn(join(root, 'flows'))) {
    const { value, yaml } = read(path, FlowFile);
    if (value && yaml) flows.push({ flow: value, yaml });
  }

  const locales: LoadedLocale[] = [];
  const statuses: LoadedStatus[] = [];
  for (const lang of LANGUAGES) {
    const statusPath = join(root, 'locales', lang, TRANSLATION_STATUS_FILE);
    if (lang !== 'es' && existsSync(statusPath)) {
      const { value, yaml } = read(statusPath, TranslationStatusFile);
      if (value && yaml) statuses.push({ lang, value, yaml });
    }
    const files = yamlFilesIn(join(root, 'locales', lang));
    if (!files.length) problems.push({ file: `locales/${lang}/`, message: `has no translation files`, severity: 'error' });
    for (const path of files.filter((file) => !isBookkeeping(file))) {
      const { value, yaml } = read(path, LocaleTree);
      if (value && yaml) locales.push({ lang, tree: value, yaml });
    }
  }

  const services = read(join(root, 'content', 'services.yaml'), ServicesFile);
  const keywords = read(join(root, 'content', 'keywords.yaml'), KeywordsFile);
  const centers = readAll(join(root, 'content', 'centers'), CenterFile);
  const topics = readAll(join(root, 'content', 'topics'), TopicFile);
  const gazetteer = loadPlaces(root);
  problems.push(...gazetteer.problems);

  if (problems.some((p) => p.severity === 'error') || !conversation.value || !languages.value || !conversation.yaml || !services.value || !services.yaml || !keywords.value || !gazetteer.places) {
    return { problems };
  }
  const topicMap = new Map(topics.map((t) => [t.value.id, t.value]));
  const checked = checkCatalog({ conversation: { value: conversation.value, yaml: conversation.yaml }, flows, locales, statuses, topics: topicMap });
  problems.push(...checked.problems);
  problems.push(
    ...checkFacts({
      services: { value: services.value, yaml: services.yaml },
      centers,
      topics,
      hasText: checked.hasText,
      places: gazetteer.places,
      today: options.today ?? new Date().toISOString().slice(0, 10),
    }),
  );
  if (problems.some((p) => p.severity === 'error')) return { problems };

  const i18n = i18next.createInstance();
  void i18n.init({
    resources: Object.fromEntries(LANGUAGES.map((lang) => [lang, { translation: checked.texts[lang] }])),
    lng: 'es',
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });

  const commands: Command[] = Object.entries(conversation.value.commands).map(([name, command]) => ({
    name: name as Command['name'],
    node: command.node && checked.resolveRef(command.node, 'main'),
    match: command.match,
    phrases: command.phrases,
  }));

  const catalog: Catalog = {
    entry: checked.resolveRef(conversation.value.entry, 'main'),
    home: checked.resolveRef(conversation.value.home, 'main'),
    intents: Object.fromEntries(Object.entries(conversation.value.intents).map(([intent, ref]) => [intent, checked.resolveRef(ref, 'main')])),
    nodes: checked.nodes,
    commands,
    languageMarkers: languages.value.languages,
    services: services.value.services,
    centers: centers.map((c) => c.value),
    topics: topicMap,
    translations: checked.translations,
    places: gazetteer.places,
    keywords: keywords.value,
    text: makeTextLookup(i18n),
  };
  return { catalog: Object.freeze(catalog), problems };
}
