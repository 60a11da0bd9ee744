// The bench's HTTP client against a local server: answers read by content-length over one
// keep-alive connection, and a clear error for what it cannot read or what never comes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openConnection } from '../../src/cli/load-client.js';

let server: Server;
let port = 0;
const connectionsSeen = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    connectionsSeen.add(req.socket);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (req.url === '/chunked') {
        res.write(body); // written before the end: sent chunked, with no content-length
        return void res.end();
      }
      if (req.url === '/silent') return; // never answers
      if (req.url === '/hang-up') return void req.socket.destroy();
      const answer = Buffer.from(JSON.stringify({ echo: body, ñ: '🆘' }));
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': answer.length });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

test('answers come back whole, one after another, on one connection', async () => {
  const connection = await openConnection(port, 5_000);
  for (const text of ['hola', 'x'.repeat(100_000), 'último']) {
    const { status, body } = await connection.post('/api/chat', JSON.stringify({ text }));
    expect(status).toBe(201);
    expect(JSON.parse(body.toString())).toEqual({ echo: JSON.stringify({ text }), ñ: '🆘' });
  }
  connection.close();
  expect(connectionsSeen.size).toBe(1);
});

test('a chunked answer, a hang-up and a silent server are errors that say what happened', async () => {
  const chunked = await openConnection(port, 5_000);
  await expect(chunked.post('/chunked', '{}')).rejects.toThrow(/content-length/);
  const hangUp = await openConnection(port, 5_000);
  await expect(hangUp.post('/hang-up', '{}')).rejects.toThrow(/closed the connection/);
  const silent = await openConnection(port, 200);
  await expect(silent.post('/silent', '{}')).rejects.toThrow(/timed out/);
});

test('a second request before the first is answered is refused, not mixed up', async () => {
  const connection = await openConnection(port, 5_000);
  const first = connection.post('/api/chat', '{}');
  await expect(connection.post('/api/chat', '{}')).rejects.toThrow(/one request at a time/);
  expect((await first).status).toBe(201);
  connection.close();
});
