// A stand-in for the Bot Framework connector service (the serviceUrl a channel names): it accepts
// what botbuilder posts when the bot replies, records it and answers like the real one.
//   POST /v3/conversations/:conversationId/activities              (send to conversation)
//   POST /v3/conversations/:conversationId/activities/:activityId  (reply to an activity)
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  conversationId: string;
  /** The activity replied to, when botbuilder used the reply route. */
  replyToId?: string;
  /** The Authorization header botbuilder sent, if any. */
  authorization?: string;
  activity: Record<string, unknown>;
}

export interface FakeConnector {
  /** The serviceUrl to put in activities, e.g. http://127.0.0.1:41234/ */
  url: string;
  sent: SentActivity[];
  /** Activities sent to one conversation, in order. */
  activitiesFor(conversationId: string): Record<string, unknown>[];
  /** While set, every post gets this HTTP status (botbuilder retries 5xx a few times, with back-off; 403 it does not). */
  failWith: number | undefined;
  /** Requests that were not a known route (should stay empty). */
  unexpected: string[];
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  let next = 0;
  const connector: FakeConnector = {
    url: '',
    sent: [],
    failWith: undefined,
    unexpected: [],
    activitiesFor: (conversationId) => connector.sent.filter((s) => s.conversationId === conversationId).map((s) => s.activity),
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = new URL(req.url ?? '/', 'http://connector').pathname;
      const route = ROUTE.exec(path);
      if (req.method !== 'POST' || !route) {
        connector.unexpected.push(`${req.method} ${path}`);
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound"}}');
        return;
      }
      if (connector.failWith !== undefined) {
        res.writeHead(connector.failWith, { 'content-type': 'application/json' }).end('{"error":{"code":"ServiceError","message":"refused"}}');
        return;
      }
      let activity: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(body);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        activity = Object.fromEntries(Object.entries(parsed));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"BadArgument"}}');
        return;
      }
      const sent: SentActivity = { conversationId: decodeURIComponent(route[1]!), activity };
      if (route[2]) sent.replyToId = decodeURIComponent(route[2]);
      if (req.headers.authorization) sent.authorization = req.headers.authorization;
      connector.sent.push(sent);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${++next}` }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  connector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return connector;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
