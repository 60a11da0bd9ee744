// Each kind of content mistake is reported with the right file and line, in words staff can act on.
import { spawnSync } from 'node:child_process';
import { loadCatalog } from '../../src/content/load.js';
import { projectRoot } from '../../src/paths.js';
import { contentCopy, lineOf } from '../helpers/content.js';

test('the shipped content has no problems at all', () => {
  const { catalog, problems } = loadCatalog(projectRoot);
  expect(problems).toEqual([]);
  expect(catalog?.nodes.get(catalog.home)?.type).toBe('menu');
});

function errorsAfter(file: string, change: (text: string) => string) {
  const copy = contentCopy();
  copy.edit(file, change);
  const result = loadCatalog(copy.root);
  expect(result.catalog, 'a catalog with errors must not be returned').toBeUndefined();
  return { ...result, root: copy.root };
}

test('a flow pointing at a node that does not exist', () => {
  const { problems, root } = errorsAfter('flows/main.yaml', (t) => t.replace('next: find_service', 'next: find_servise'));
  expect(problems).toContainEqual(
    expect.objectContaining({ file: 'flows/main.yaml', line: lineOf(root, 'flows/main.yaml', 'find_servise'), message: expect.stringContaining('"main.find_servise", which does not exist') }),
  );
});

test('a text missing in one language', () => {
  const { problems, root } = errorsAfter('locales/ht/conversation.yaml', (t) => t.replace(/^ {2}skip: .*\n/m, ''));
  expect(problems).toContainEqual({
    file: 'locales/es/conversation.yaml',
    line: lineOf(root, 'locales/es/conversation.yaml', 'skip: "Saltar"'),
    message: 'the text "profile.skip" has no ht translation: add it to locales/ht/',
    severity: 'error',
  });
});

test('a translation that lost a {{placeholder}}', () => {
  const { problems } = errorsAfter('locales/en/conversation.yaml', (t) => t.replace('after {{days}} days', 'after 30 days'));
  expect(problems).toContainEqual(expect.objectContaining({ file: 'locales/en/conversation.yaml', message: expect.stringContaining('same {{placeholders}}') }));
});

test('a text key used by a flow that no language has', () => {
  const { problems, root } = errorsAfter('flows/start.yaml', (t) => t.replace('text: profile.age_question', 'text: profile.age_questoin'));
  expect(problems).toContainEqual(
    expect.objectContaining({ file: 'flows/start.yaml', line: lineOf(root, 'flows/start.yaml', 'age_questoin'), message: 'the text "profile.age_questoin" does not exist in locales/es/' }),
  );
});

test('broken YAML', () => {
  const { problems, root } = errorsAfter('flows/main.yaml', (t) => t.replace('  rights:\n', '  rights:\n   - [oops\n'));
  expect(problems[0]).toMatchObject({ file: 'flows/main.yaml', message: expect.stringContaining('is not valid YAML') });
  expect(problems[0]!.line).toBeGreaterThanOrEqual(lineOf(root, 'flows/main.yaml', '[oops'));
});

test('the same key written twice in one file', () => {
  const { problems } = errorsAfter('locales/pt/conversation.yaml', (t) => t.replace('  skip: "Pular"', '  skip: "Pular"\n  skip: "Pular"'));
  expect(problems[0]).toMatchObject({ file: 'locales/pt/conversation.yaml', message: expect.stringContaining('the same key is written twice') });
});

test('an unknown action and a misspelt field point at their line', () => {
  const { problems, root } = errorsAfter('flows/main.yaml', (t) => t.replace('do: { action: show_topic, topic: rights }', 'do: { action: show_topics, topic: rights }'));
  expect(problems).toContainEqual(expect.objectContaining({ file: 'flows/main.yaml', line: lineOf(root, 'flows/main.yaml', 'show_topics') }));
  const misspelt = errorsAfter('flows/start.yaml', (t) => t.replace('all_languages: true\n    next: language', 'all_language: true\n    next: language'));
  expect(misspelt.problems[0]).toMatchObject({ file: 'flows/start.yaml', line: lineOf(misspelt.root, 'flows/start.yaml', 'all_language:'), message: expect.stringContaining('all_language') });
});

test('a node nobody can reach', () => {
  const { problems, root } = errorsAfter('flows/main.yaml', (t) => t + '\n  forgotten:\n    type: say\n    text: help.text\n    next: menu\n');
  expect(problems).toContainEqual(
    expect.objectContaining({ file: 'flows/main.yaml', line: lineOf(root, 'flows/main.yaml', 'forgotten:'), message: expect.stringContaining('can never be reached') }),
  );
});

test('nodes that go round without asking anything', () => {
  const { problems } = errorsAfter('flows/main.yaml', (t) => t.replace("    text: help.text\n    next: menu", '    text: help.text\n    next: help'));
  expect(problems).toContainEqual(expect.objectContaining({ file: 'flows/main.yaml', message: expect.stringContaining('go round forever') }));
});

test('a branch that forgets an outcome', () => {
  const { problems } = errorsAfter('flows/main.yaml', (t) => t.replace('next: { found: find_where, unknown: find_not_understood }', 'next: { found: find_where }'));
  expect(problems).toContainEqual(expect.objectContaining({ message: expect.stringContaining('says nothing for the outcome(s) unknown') }));
});

test('a global command missing from the conversation file', () => {
  const { problems } = errorsAfter('content/conversation.yaml', (t) => t.replace(/ {2}back:\n.*\n/, ''));
  expect(problems).toContainEqual(expect.objectContaining({ file: 'content/conversation.yaml', message: 'the global command "back" is missing' }));
});

test('npm run content:check exits 1 with file:line on errors, 0 on good content', () => {
  const copy = contentCopy();
  copy.edit('flows/main.yaml', (t) => t.replace('next: find_service', 'next: nowhere'));
  const bad = spawnSync('npm', ['run', '--silent', 'content:check', '--', '--dir', copy.root], { cwd: projectRoot, encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stdout).toContain(`ERROR flows/main.yaml:${lineOf(copy.root, 'flows/main.yaml', 'nowhere')} — `);
  const good = spawnSync('npm', ['run', '--silent', 'content:check'], { cwd: projectRoot, encoding: 'utf8' });
  expect(good.status).toBe(0);
  expect(good.stdout).toContain('Content OK');
});
