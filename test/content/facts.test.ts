// The curated facts: what ships, where each fact comes from, and the mistakes staff can make.
import { loadCatalog } from '../../src/content/load.js';
import { projectRoot } from '../../src/paths.js';
import { contentCopy, lineOf } from '../helpers/content.js';

const shipped = loadCatalog(projectRoot).catalog!;

test('every service id the other tools rely on is described', () => {
  expect(Object.keys(shipped.services).sort()).toEqual(
    ['meals', 'clothing', 'shelter', 'hygiene_kit', 'social_services', 'transport_home', 'primary_care', 'sexual_reproductive_health', 'mental_health', 'nutrition', 'chronic_disease', 'vaccines', 'disability_care', 'referrals', 'family_contact', 'legal_aid', 'migration_id'].sort(),
  );
});

test('the centers of the assessment ship with their stable ids', () => {
  expect(shipped.centers.map((c) => c.id).sort()).toEqual(
    ['cami-toncontin', 'cami-los-almendros', 'cami-choluteca', 'camr-belen', 'camr-omoa', 'camr-lima', 'umar-distrito-central', 'osi', 'uaps-cis'].sort(),
  );
});

test('every fact-bearing item names its source', () => {
  for (const [id, service] of Object.entries(shipped.services)) expect(service.source, id).toMatch(/\w{4,}/);
  for (const center of shipped.centers) {
    const facts = { kind: center.kind, name: center.name, status: center.status, operator: center.operator, serves: center.serves, services: center.services, hours: center.hours === 'unknown' ? undefined : center.hours, location: center.location, address: center.address, contact: center.contact };
    for (const [fact, value] of Object.entries(facts)) {
      if (value !== undefined) expect(center.sources[fact as keyof typeof center.sources], `${center.id}: source of ${fact}`).toMatch(/\w{4,}/);
    }
  }
  for (const topic of shipped.topics.values()) for (const section of topic.sections) expect(section.source, `${topic.id}.${section.id}`).toMatch(/\w{4,}/);
});

test('facts from the assessment are stated as it states them', () => {
  const center = (id: string) => shipped.centers.find((c) => c.id === id)!;
  expect(center('camr-belen').serves.max_age).toBe(17);
  expect(center('camr-omoa').serves.min_age).toBe(18);
  expect(center('camr-lima').serves.min_age).toBe(18);
  expect(center('camr-omoa').hours).toEqual({ days: ['wed', 'thu', 'fri'], times: 'unknown' });
  expect(center('osi').direct_care).toBe(false);
  expect(center('uaps-cis').serves.groups).toEqual(['transit', 'returned', 'resident']);
  // Table 4: no center treats disabilities; only UAPS/CIS offer nutrition.
  expect(shipped.centers.filter((c) => c.services.includes('disability_care'))).toEqual([]);
  expect(shipped.centers.filter((c) => c.services.includes('nutrition')).map((c) => c.id)).toEqual(['uaps-cis']);
  // Never invented: no phone numbers, and hours only where the assessment gives them.
  expect(shipped.centers.filter((c) => c.contact)).toEqual([]);
  expect(shipped.centers.filter((c) => c.hours !== 'unknown').map((c) => c.id)).toEqual(['camr-omoa']);
});

function problemsAfter(file: string, change: (text: string) => string, today?: string) {
  const copy = contentCopy();
  copy.edit(file, change);
  return { ...loadCatalog(copy.root, { today }), root: copy.root };
}

test('an unknown service id in a center', () => {
  const { catalog, problems, root } = problemsAfter('content/centers/camr-omoa.yaml', (t) => t.replace('services: [meals,', 'services: [meal,'));
  expect(catalog).toBeUndefined();
  expect(problems).toContainEqual(expect.objectContaining({ file: 'content/centers/camr-omoa.yaml', line: lineOf(root, 'content/centers/camr-omoa.yaml', 'services: [meal,'), message: expect.stringContaining('"meal" is not a service id') }));
});

test('a center without coordinates', () => {
  const { problems } = problemsAfter('content/centers/camr-omoa.yaml', (t) => t.replace(/^location: .*\n/m, '').replace(/^ {2}location: .*\n/m, ''));
  expect(problems).toContainEqual(expect.objectContaining({ file: 'content/centers/camr-omoa.yaml', message: expect.stringContaining('a center needs a location') }));
});

test('a fact without a source', () => {
  const { problems } = problemsAfter('content/centers/camr-omoa.yaml', (t) => t.replace(/^ {2}hours: "Assessment.*\n/m, ''));
  expect(problems).toContainEqual(expect.objectContaining({ file: 'content/centers/camr-omoa.yaml', message: expect.stringContaining('says where "hours" comes from nowhere') }));
});

test('a center placed far from the town it names', () => {
  const { problems, root } = problemsAfter('content/centers/camr-omoa.yaml', (t) => t.replace('lat: 15.776,', 'lat: 15.576,'));
  expect(problems).toContainEqual(expect.objectContaining({ line: lineOf(root, 'content/centers/camr-omoa.yaml', 'location:'), message: expect.stringMatching(/is 2\d\.\d km from Omoa/) }));
});

test('a file whose name is not its id', () => {
  const { problems } = problemsAfter('content/centers/camr-omoa.yaml', (t) => t.replace('id: camr-omoa', 'id: camr-omoa-2'));
  expect(problems).toContainEqual(expect.objectContaining({ message: expect.stringContaining('rename the file to camr-omoa-2.yaml') }));
});

test('a flow showing a topic section that does not exist', () => {
  const { problems } = problemsAfter('flows/main.yaml', (t) => t.replace('section: trafficking', 'section: trafiking'));
  expect(problems).toContainEqual(expect.objectContaining({ file: 'flows/main.yaml', message: 'the topic "risks" has no section "trafiking"' }));
});

test('content past its review date is a warning, not an error', () => {
  const { catalog, problems, root } = problemsAfter('content/centers/camr-lima.yaml', (t) => t.replace('next: 2027-06-30', 'next: 2026-01-31'), '2026-12-04');
  expect(catalog).toBeDefined();
  expect(problems).toContainEqual({
    file: 'content/centers/camr-lima.yaml',
    line: lineOf(root, 'content/centers/camr-lima.yaml', 'reviewed:'),
    message: 'the center "camr-lima" was due for review on 2026-01-31: check it and update "reviewed"',
    severity: 'warning',
  });
});

describe('stale translations', () => {
  test('a changed Spanish text marks its translations stale, with their file and line', () => {
    const { catalog, problems, root } = problemsAfter('locales/es/conversation.yaml', (t) => t.replace('skip: "Saltar"', 'skip: "Saltar esta pregunta"'));
    expect(catalog?.translations.pt?.['profile.skip']).toBe('stale');
    expect(catalog?.translations.pt?.['profile.age_under_18']).toBe('draft');
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'locales/ht/conversation.yaml', line: lineOf(root, 'locales/ht/conversation.yaml', 'skip: '), severity: 'warning', message: expect.stringContaining('"profile.skip" is stale') }),
    );
  });

  test('npm run content:translated records the new source and clears the warning', async () => {
    const { spawnSync } = await import('node:child_process');
    const copy = contentCopy();
    copy.edit('locales/es/conversation.yaml', (t) => t.replace('skip: "Saltar"', 'skip: "Saltar esta pregunta"'));
    copy.edit('locales/pt/conversation.yaml', (t) => t.replace('skip: "Pular"', 'skip: "Pular esta pergunta"'));
    const run = spawnSync('npm', ['run', '--silent', 'content:translated', '--', 'pt', 'profile.skip', '--reviewed', '--by', 'native speaker (pt)', '--dir', copy.root], { cwd: projectRoot, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 text(s) recorded as reviewed');
    const { catalog } = loadCatalog(copy.root);
    expect(catalog?.translations.pt?.['profile.skip']).toBe('reviewed');
    expect(catalog?.translations.ht?.['profile.skip']).toBe('stale');
  });

  test('a translation with no record is reported as such', () => {
    const { problems } = problemsAfter('locales/en/_status.yaml', (t) => t.replace(/^ {2}profile\.skip: .*\n/m, ''));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'locales/en/conversation.yaml', message: expect.stringContaining('"profile.skip" has no translation record') }));
  });
});
