// Loads and checks the whole catalog. Any problem is reported with file and line; a catalog
// with errors is never returned, so a typo can never reach a person.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { LANGUAGES } from '../model/message.js';
import { makeTextLookup, type Catalog, type Command } from './catalog.js';
import { checkCatalog, type LoadedFlow, type LoadedLocale } from './check.js';
import type { Problem } from './problems.js';
import { ConversationFile, FlowFile, LanguagesFile, LocaleTree } from './schema.js';
import { isProblem, readYaml, validate, type YamlFile } from './yaml-file.js';

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

export function loadCatalog(root: string): LoadResult {
  const problems: Problem[] = [];
  const read = <T>(path: string, schema: import('zod').ZodType<T>): { value?: T; yaml?: YamlFile } => {
    if (!existsSync(path)) {
      problems.push({ file: path.slice(root.length + 1), message: 'is missing', severity: 'error' });
      return {};
    }
    const yaml = readYaml(root, path);
    if (isProblem(yaml)) {
      problems.push(yaml);
      return {};
    }
    const result = validate(yaml, schema);
    problems.push(...result.problems);
    return { value: result.value, yaml };
  };

  const conversation = read(join(root, 'content', 'conversation.yaml'), ConversationFile);
  const languages = read(join(root, 'content', 'languages.yaml'), LanguagesFile);

  const flows: LoadedFlow[] = [];
  for (const path of yamlFilesIn(join(root, 'flows'))) {
    const { value, yaml } = read(path, FlowFile);
    if (value && yaml) flows.push({ flow: value, yaml });
  }

  const locales: LoadedLocale[] = [];
  for (const lang of LANGUAGES) {
    const files = yamlFilesIn(join(root, 'locales', lang));
    if (!files.length) problems.push({ file: `locales/${lang}/`, message: `has no translation files`, severity: 'error' });
    for (const path of files) {
      const { value, yaml } = read(path, LocaleTree);
      if (value && yaml) locales.push({ lang, tree: value, yaml });
    }
  }

  if (problems.some((p) => p.severity === 'error') || !conversation.value || !languages.value || !conversation.yaml) {
    return { problems };
  }
  const checked = checkCatalog({ conversation: { value: conversation.value, yaml: conversation.yaml }, flows, locales });
  problems.push(...checked.problems);
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
    nodes: checked.nodes,
    commands,
    languageMarkers: languages.value.languages,
    text: makeTextLookup(i18n),
  };
  return { catalog: Object.freeze(catalog), problems };
}
