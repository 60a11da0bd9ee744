// /api/chat and the health checks, over real HTTP against the app on an ephemeral port.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger } from '../../src/log.js';
import { createServer } from '../../src/server/app.js';
import { catalog, testBot } from '../helpers/bot.js';

let server: Server;
let base: string;
let ready = true;

beforeAll(async () => {
  const { bot } = testBot();
  const app = createServer({ bot, catalog: () => catalog, log: createLogger('silent'), ready: () => ready });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (body: string, contentType = 'application/json') =>
  fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': contentType }, body });

test('a message gets the replies of the turn', async () => {
  const res = await post(JSON.stringify({ user: 'api-1', text: 'hola' }));
  expect(res.status).toBe(200);
  const { messages } = (await res.json()) as { messages: { text: string; choices?: { id: string }[] }[] };
  expect(messages[0]!.text).toContain('Puente');
  expect(messages.at(-1)!.choices?.map((c) => c.id)).toEqual(['transit', 'returned', 'resident', 'skip']);
});

test('choices and locations are accepted', async () => {
  await post(JSON.stringify({ user: 'api-2', text: 'hello' }));
  const chose = await (await post(JSON.stringify({ user: 'api-2', choice: 'skip' }))).json();
  expect(chose.messages[0].choices.map((c: { id: string }) => c.id)).toContain('rights');
  const located = await post(JSON.stringify({ user: 'api-2', location: { lat: 14.07, lon: -87.19 } }));
  expect(located.status).toBe(200);
});

test('the same messageId twice is answered once', async () => {
  const body = JSON.stringify({ user: 'api-3', messageId: 'abc', text: 'hola' });
  expect((await (await post(body)).json()).messages.length).toBeGreaterThan(0);
  expect((await (await post(body)).json()).messages).toEqual([]);
});

test.each([
  ['malformed JSON', '{"user": "x", "text": ', 400, 'not valid JSON'],
  ['no user', JSON.stringify({ text: 'hola' }), 400, 'user'],
  ['no message', JSON.stringify({ user: 'x' }), 400, 'exactly one'],
  ['two kinds of message', JSON.stringify({ user: 'x', text: 'a', choice: 'b' }), 400, 'exactly one'],
  ['a location off the planet', JSON.stringify({ user: 'x', location: { lat: 200, lon: 0 } }), 400, 'location.lat'],
  ['a number as text', JSON.stringify({ user: 'x', text: 42 }), 400, 'text'],
  ['an array body', '[1,2]', 400, 'invalid request'],
])('%s gets a clear 4xx', async (_name, body, status, words) => {
  const res = await post(body);
  expect(res.status).toBe(status);
  expect(JSON.stringify(await res.json())).toContain(words);
});

test('a 10 MB body is refused with 413 and the server keeps answering', async () => {
  const res = await post(JSON.stringify({ user: 'x', text: 'a'.repeat(10 * 1024 * 1024) }));
  expect(res.status).toBe(413);
  expect((await res.json()).error).toContain('too large');
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});

test('a long text or an emoji storm gets a friendly answer', async () => {
  await post(JSON.stringify({ user: 'api-4', text: 'hola' }));
  const res = await post(JSON.stringify({ user: 'api-4', text: '😀🔥🙏🏽'.repeat(1000) }));
  expect(res.status).toBe(200);
  const { messages } = await res.json();
  expect(messages[0].text).toMatch(/No te entendí/);
});

test('a body that is not JSON, or not in UTF-8, is refused with 415 and a reason', async () => {
  const form = await post('user=x&text=hola', 'application/x-www-form-urlencoded');
  expect(form.status).toBe(415);
  expect((await form.json()).error).toContain('application/json');
  const latin1 = await post(JSON.stringify({ user: 'x', text: 'hola' }), 'application/json; charset=iso-8859-1');
  expect(latin1.status).toBe(415);
  expect((await post(JSON.stringify({ user: 'api-5', text: 'hola' }), 'application/json; charset=UTF-8')).status).toBe(200);
  expect((await post(JSON.stringify({ user: 'api-5b', text: 'hola' }), 'Application/JSON')).status).toBe(200);
});

test('a compressed body is refused with 415, whatever the case of the header', async () => {
  const gzip = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'GZIP' }, body: '{}' });
  expect(gzip.status).toBe(415);
  expect((await gzip.json()).error).toContain('uncompressed');
});

test('a body just over the limit is refused, and the same connection serves the next request', async () => {
  const res = await post(JSON.stringify({ user: 'x', text: 'a'.repeat(33 * 1024) }));
  expect(res.status).toBe(413);
  expect((await post(JSON.stringify({ user: 'api-6', text: 'hola' }))).status).toBe(200);
});

test('a client that hangs up half way through its message leaves the server answering', async () => {
  const { connect } = await import('node:net');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user": "half');
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  expect((await post(JSON.stringify({ user: 'api-9', text: 'hola' }))).status).toBe(200);
});

test('answers are JSON that is never cached or sniffed', async () => {
  const res = await post(JSON.stringify({ user: 'api-7', text: 'hola' }));
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
});

test('only POST reaches the chat; a query string does not change the path', async () => {
  expect((await fetch(`${base}/api/chat`)).status).toBe(404);
  const res = await fetch(`${base}/api/chat?from=test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'api-8', text: 'hola' }) });
  expect(res.status).toBe(200);
});

test('health and readiness', async () => {
  expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  ready = false;
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  ready = true;
});

test('unknown paths get a JSON 404, and pages carry security headers', async () => {
  const res = await fetch(`${base}/api/nothing`);
  expect(res.status).toBe(404);
  const page = await fetch(`${base}/`);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(page.headers.get('x-powered-by')).toBeNull();
});
