// Staff endpoints: the admin token is required, reload keeps the last good content, the report is served.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { LiveCatalog } from '../../src/content/live-catalog.js';
import { createLogger } from '../../src/log.js';
import { loadCatalogOrThrow } from '../../src/runtime.js';
import { tokenMatches } from '../../src/server/admin.js';
import { createServer } from '../../src/server/app.js';
import { contentCopy } from '../helpers/content.js';
import { testBot } from '../helpers/bot.js';

const TOKEN = 'admin-token-for-tests-0123';
const copy = contentCopy();
const live = new LiveCatalog(copy.root, createLogger('silent'), loadCatalogOrThrow(copy.root));
let server: Server;
let base: string;

beforeAll(async () => {
  const { bot } = testBot();
  server = createServer({ bot, catalog: () => live.current, log: createLogger('silent'), ready: () => true, admin: { content: live, token: TOKEN } }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const auth = { authorization: `Bearer ${TOKEN}` };

test('without the right token, 401', async () => {
  expect((await fetch(`${base}/admin/content-report`)).status).toBe(401);
  expect((await fetch(`${base}/admin/reload`, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  expect((await fetch(`${base}/admin/content-report?token=${TOKEN}x`)).status).toBe(401);
});

test('the content report as HTML or Markdown', async () => {
  const html = await fetch(`${base}/admin/content-report`, { headers: auth });
  expect(html.status).toBe(200);
  expect(await html.text()).toContain('Puente content report');
  const md = await fetch(`${base}/admin/content-report?format=md&token=${TOKEN}`);
  expect(await md.text()).toContain('| language | texts | reviewed | draft | stale | missing |');
});

test('reload picks up a good change and refuses a broken one', async () => {
  copy.edit('locales/es/conversation.yaml', (t) => t.replace('skip: "Saltar"', 'skip: "Omitir"'));
  const ok = await fetch(`${base}/admin/reload`, { method: 'POST', headers: auth });
  expect(ok.status).toBe(200);
  expect(live.current.text('es', 'profile.skip')).toBe('Omitir');

  copy.edit('content/conversation.yaml', (t) => t.replace('home: main.menu', 'home: main.nowhere'));
  const bad = await fetch(`${base}/admin/reload`, { method: 'POST', headers: auth });
  expect(bad.status).toBe(422);
  expect((await bad.json()).problems.join('\n')).toMatch(/content\/conversation\.yaml:\d+ — points at the node "main\.nowhere"/);
  expect(live.current.text('es', 'profile.skip')).toBe('Omitir');
});

test('token comparison', () => {
  expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
  expect(tokenMatches(undefined, TOKEN)).toBe(false);
  expect(tokenMatches('short', TOKEN)).toBe(false);
});
