// Cross-file checks: every node a flow points at exists, every text exists in every language with
// the same {{placeholders}}, every node can be reached, and no flow loops without asking anything.
import { LANGUAGES, type Language } from '../model/message.js';
import type { Problem } from './problems.js';
import { ACTION_OUTCOMES, COMMANDS, ENDS_CONVERSATION, REQUIRED_TEXTS, type Action, type ConversationFile, type FlowFile, type FlowNode, type LocaleTree, type Next } from './schema.js';
import type { TopicFile } from './facts-schema.js';
import { translationState, type TranslationState, type TranslationStatusFile } from './translations.js';
import type { YamlFile } from './yaml-file.js';

export interface LoadedFlow {
  flow: FlowFile;
  yaml: YamlFile;
}
export interface LoadedLocale {
  lang: Language;
  tree: LocaleTree;
  yaml: YamlFile;
}
export interface LoadedStatus {
  lang: Language;
  value: TranslationStatusFile;
  yaml: YamlFile;
}
interface Input {
  conversation: { value: ConversationFile; yaml: YamlFile };
  flows: LoadedFlow[];
  locales: LoadedLocale[];
  statuses: LoadedStatus[];
  topics: ReadonlyMap<string, TopicFile>;
}

const SOURCE_LANGUAGE: Language = 'es';
const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort().join(',');

export function checkCatalog({ conversation, flows, locales, statuses, topics }: Input) {
  const problems: Problem[] = [];
  const error = (yaml: YamlFile, path: PropertyKey[], message: string) =>
    problems.push({ file: yaml.file, line: yaml.lineOf(path), message, severity: 'error' });

  // --- texts: one flat table per language, and the nested trees i18next reads
  const flat = new Map<Language, Map<string, { text: string; yaml: YamlFile; path: string[] }>>();
  const texts = {} as Record<Language, LocaleTree>;
  for (const lang of LANGUAGES) {
    flat.set(lang, new Map());
    texts[lang] = {};
  }
  for (const { lang, tree, yaml } of locales) {
    const table = flat.get(lang)!;
    const walk = (node: LocaleTree, path: string[], target: LocaleTree) => {
      for (const [key, value] of Object.entries(node)) {
        const here = [...path, key];
        if (typeof value === 'string') {
          const id = here.join('.');
          const earlier = table.get(id);
          if (earlier) error(yaml, here, `the text "${id}" is also in ${earlier.yaml.file}; keep it in one file`);
          else table.set(id, { text: value, yaml, path: here });
          target[key] = value;
        } else {
          const existing = target[key];
          const child = typeof existing === 'object' ? existing : (target[key] = {});
          walk(value, here, child);
        }
      }
    };
    walk(tree, [], texts[lang]);
  }
  const source = flat.get(SOURCE_LANGUAGE)!;
  const translations = {} as Record<Language, Record<string, TranslationState>>;
  for (const lang of LANGUAGES) {
    if (lang === SOURCE_LANGUAGE) continue;
    const table = flat.get(lang)!;
    const status = statuses.find((s) => s.lang === lang);
    const states: Record<string, TranslationState> = (translations[lang] = {});
    for (const [id, entry] of source) {
      const translation = table.get(id);
      states[id] = translationState(entry.text, translation?.text, status?.value.texts[id]);
      if (!translation) {
        error(entry.yaml, entry.path, `the text "${id}" has no ${lang} translation: add it to locales/${lang}/`);
      } else if (placeholders(translation.text) !== placeholders(entry.text)) {
        error(translation.yaml, translation.path, `"${id}" must use the same {{placeholders}} as the Spanish text`);
      } else if (states[id] === 'stale') {
        problems.push({
          file: translation.yaml.file,
          line: translation.yaml.lineOf(translation.path),
          message: status?.value.texts[id]
            ? `"${id}" is stale: the Spanish text changed after this translation was made. Update it, then run: npm run content:translated -- ${lang} ${id}`
            : `"${id}" has no translation record: check it against the Spanish, then run: npm run content:translated -- ${lang} ${id}`,
          severity: 'warning',
        });
      }
    }
    for (const id of Object.keys(status?.value.texts ?? {})) {
      if (!source.has(id) && status) {
        problems.push({ file: status.yaml.file, line: status.yaml.lineOf(['texts', id]), message: `records "${id}", which is no longer a text: remove the line`, severity: 'warning' });
      }
    }
    for (const [id, entry] of table) {
      if (!source.has(id)) error(entry.yaml, entry.path, `"${id}" does not exist in the Spanish source texts (typo, or add it to locales/es/)`);
    }
  }
  const requireText = (yaml: YamlFile, path: PropertyKey[], key: string) => {
    if (!source.has(key)) error(yaml, path, `the text "${key}" does not exist in locales/es/`);
  };

  for (const key of REQUIRED_TEXTS) {
    if (!source.has(key)) problems.push({ file: 'locales/es/', message: `the text "${key}" is missing: Puente shows it, so every language needs it`, severity: 'error' });
  }

  // --- nodes: resolve every reference to a full "flow.node" id
  const nodes = new Map<string, FlowNode>();
  const origin = new Map<string, { yaml: YamlFile; path: PropertyKey[] }>();
  const resolveRef = (ref: string, flow: string) => (ref.includes('.') ? ref : `${flow}.${ref}`);
  const resolveNext = (next: Next, flow: string): Next =>
    typeof next === 'string' ? resolveRef(next, flow) : Object.fromEntries(Object.entries(next).map(([k, v]) => [k, resolveRef(v, flow)]));
  const seenFlows = new Map<string, string>();
  for (const { flow, yaml } of flows) {
    const other = seenFlows.get(flow.flow);
    if (other) error(yaml, ['flow'], `the flow name "${flow.flow}" is already used by ${other}`);
    seenFlows.set(flow.flow, yaml.file);
    for (const [id, node] of Object.entries(flow.nodes)) {
      const full = `${flow.flow}.${id}`;
      origin.set(full, { yaml, path: ['nodes', id] });
      nodes.set(full, resolveNode(node, (next) => resolveNext(next, flow.flow)));
    }
  }

  const commandNames = new Set<string>(COMMANDS);
  const targets = (next: Next) => (typeof next === 'string' ? [next] : Object.values(next));
  const checkNext = (yaml: YamlFile, path: PropertyKey[], next: Next, action?: Action) => {
    for (const target of targets(next)) {
      if (!nodes.has(target)) error(yaml, path, `points at the node "${target}", which does not exist`);
    }
    const outcomes = action ? ACTION_OUTCOMES[action.action] : undefined;
    if (typeof next === 'object') {
      if (!outcomes) error(yaml, path, `one "next" per outcome is only possible after ${Object.keys(ACTION_OUTCOMES).join(' or ')}`);
      else {
        const missing = outcomes.filter((o) => !(o in next));
        const unknown = Object.keys(next).filter((o) => !outcomes.includes(o));
        if (missing.length) error(yaml, path, `says nothing for the outcome(s) ${missing.join(', ')}`);
        if (unknown.length) error(yaml, path, `names outcome(s) that cannot happen: ${unknown.join(', ')} (possible: ${outcomes.join(', ')})`);
      }
    }
  };
  const checkAction = (yaml: YamlFile, path: PropertyKey[], action: Action) => {
    if (action.action === 'delete_data' && action.say) requireText(yaml, [...path, 'say'], action.say);
    if (action.action !== 'show_topic') return;
    const topic = topics.get(action.topic);
    if (!topic) error(yaml, [...path, 'topic'], `there is no topic "${action.topic}" in content/topics/`);
    else if (action.section && !topic.sections.some((s) => s.id === action.section)) {
      error(yaml, [...path, 'section'], `the topic "${action.topic}" has no section "${action.section}"`);
    }
  };
  for (const [id, node] of nodes) {
    const { yaml, path } = origin.get(id)!;
    if ('text' in node) requireText(yaml, [...path, 'text'], node.text);
    if ('do' in node) checkAction(yaml, [...path, 'do'], node.do);
    if ('next' in node && node.next) checkNext(yaml, [...path, 'next'], node.next, 'do' in node ? node.do : undefined);
    if (node.type === 'action' && !node.next && !ENDS_CONVERSATION.includes(node.do.action)) {
      error(yaml, path, `needs a "next": where does the conversation go after "${node.do.action}"?`);
    }
    if (node.type === 'menu') {
      const ids = new Set<string>();
      node.choices.forEach((choice, i) => {
        const here = [...path, 'choices', i];
        if (ids.has(choice.id)) error(yaml, [...here, 'id'], `the choice id "${choice.id}" is used twice in this menu`);
        ids.add(choice.id);
        requireText(yaml, [...here, 'label'], choice.label);
        if (choice.do) checkAction(yaml, [...here, 'do'], choice.do);
        if (choice.next) checkNext(yaml, [...here, 'next'], choice.next, choice.do);
        else if (!commandNames.has(choice.id)) {
          error(yaml, here, `needs a "next", unless its id is a global command (${COMMANDS.join(', ')})`);
        }
      });
    }
  }

  // --- conversation: entry, home and commands point at real nodes
  const conv = conversation.value;
  const convYaml = conversation.yaml;
  const roots: string[] = [];
  for (const [field, ref] of [['entry', conv.entry], ['home', conv.home]] as const) {
    const full = resolveRef(ref, 'main');
    if (!nodes.has(full)) error(convYaml, [field], `points at the node "${full}", which does not exist`);
    roots.push(full);
  }
  for (const [name, command] of Object.entries(conv.commands)) {
    if (command.node) {
      const full = resolveRef(command.node, 'main');
      if (!nodes.has(full)) error(convYaml, ['commands', name, 'node'], `points at the node "${full}", which does not exist`);
      roots.push(full);
    } else if (name !== 'back') {
      error(convYaml, ['commands', name], `the command "${name}" needs a "node" to go to`);
    }
  }
  for (const [intent, ref] of Object.entries(conv.intents)) {
    const full = resolveRef(ref, 'main');
    if (!nodes.has(full)) error(convYaml, ['intents', intent], `points at the node "${full}", which does not exist`);
    roots.push(full);
  }
  for (const name of COMMANDS) {
    if (!(name in conv.commands)) error(convYaml, ['commands'], `the global command "${name}" is missing`);
  }

  // --- reachability, and loops that never wait for the person
  if (!problems.length) {
    const reached = new Set<string>();
    const queue = [...roots];
    while (queue.length) {
      const id = queue.pop()!;
      if (reached.has(id)) continue;
      reached.add(id);
      queue.push(...successors(nodes.get(id)!));
    }
    for (const id of nodes.keys()) {
      if (!reached.has(id)) {
        const { yaml, path } = origin.get(id)!;
        error(yaml, path, `the node "${id}" can never be reached: link it from a menu or remove it`);
      }
    }
    for (const id of nodes.keys()) {
      const loop = loopWithoutWaiting(id, nodes);
      if (loop) {
        const { yaml, path } = origin.get(id)!;
        error(yaml, path, `the nodes ${loop.join(' → ')} go round forever without asking the person anything`);
        break;
      }
    }
  }

  return { problems, nodes, texts, translations, resolveRef, hasText: (key: string) => source.has(key) };
}

function resolveNode(node: FlowNode, resolve: (next: Next) => Next): FlowNode {
  switch (node.type) {
    case 'menu':
      return { ...node, choices: node.choices.map((c) => (c.next ? { ...c, next: resolve(c.next) } : c)) };
    case 'goto':
      return { ...node, next: resolve(node.next) as string };
    default:
      return node.next ? { ...node, next: resolve(node.next) } : node;
  }
}

function successors(node: FlowNode): string[] {
  const list = (next: Next | undefined) => (next === undefined ? [] : typeof next === 'string' ? [next] : Object.values(next));
  if (node.type === 'menu') return node.choices.flatMap((c) => list(c.next));
  return list(node.next);
}

function loopWithoutWaiting(start: string, nodes: ReadonlyMap<string, FlowNode>): string[] | undefined {
  // Menus and questions wait for the person; only say/action/goto chains can spin.
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const node = nodes.get(id);
    if (!node || node.type === 'menu' || node.type === 'ask') return undefined;
    const at = path.indexOf(id);
    if (at >= 0) return [...path.slice(at), id];
    path.push(id);
    for (const next of successors(node)) {
      const loop = visit(next);
      if (loop) return loop;
    }
    path.pop();
    return undefined;
  };
  return visit(start);
}
