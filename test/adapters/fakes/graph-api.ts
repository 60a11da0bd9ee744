// A fake Graph API for the WhatsApp Cloud channel tests: node:http on 127.0.0.1, port 0. It takes
// POST /[version/]<phone-number-id>/messages, checks the bearer token and the body against the
// Cloud API's shapes and limits (refusing what Meta would refuse, with code 100), records what it
// accepts, and can answer the next N sends with a Graph error (a rate limit, by default).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const Text = z.object({ type: z.literal('text'), text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }) });
const LocationMessage = z.object({
  type: z.literal('location'),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }),
});
const Body = z.object({ text: z.string().min(1).max(1024) });
const Interactive = z.object({
  type: z.literal('interactive'),
  interactive: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('button'),
      body: Body,
      action: z.object({
        buttons: z
          .array(z.object({ type: z.literal('reply'), reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }) }))
          .min(1)
          .max(3),
      }),
    }),
    z.object({
      type: z.literal('list'),
      body: Body,
      action: z.object({
        button: z.string().min(1).max(20),
        sections: z
          .array(z.object({ title: z.string().max(24).optional(), rows: z.array(z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: z.string().min(1).max(72).optional() })).min(1) }))
          .min(1)
          .max(10)
          .refine((sections) => sections.reduce((n, s) => n + s.rows.length, 0) <= 10, 'at most 10 rows'),
      }),
    }),
    z.object({ type: z.literal('location_request_message'), body: Body, action: z.object({ name: z.literal('send_location') }) }),
  ]),
});
const Envelope = z.object({ messaging_product: z.literal('whatsapp'), recipient_type: z.literal('individual').optional(), to: z.string().min(1) });
export const GraphMessage = z.intersection(Envelope, z.discriminatedUnion('type', [Text, LocationMessage, Interactive]));
export type GraphMessage = z.infer<typeof GraphMessage>;

export interface Sent {
  phoneNumberId: string;
  message: GraphMessage;
}

export interface FakeGraphApi {
  /** What to pass as graphUrl, version included. */
  url: string;
  /** Every accepted send, in order. */
  sent: Sent[];
  /** Every POST received, accepted or not. */
  requests: number;
  /** Why each send refused as malformed was refused (the body's paths at fault). */
  refused: string[];
  /** Answers the next `count` sends with this Graph error instead of accepting them. */
  failNext(count: number, error?: { status?: number; code?: number; message?: string }): void;
  sentTo(user: string): GraphMessage[];
  close(): Promise<void>;
}

const graphError = (res: ServerResponse, status: number, code: number, message: string) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'OAuthException', code, fbtrace_id: 'fake' } }));
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGraphApi(options: { token: string }): Promise<FakeGraphApi> {
  const failures: { status: number; code: number; message: string }[] = [];
  let counter = 0;

  const fake: FakeGraphApi = {
    url: '',
    sent: [],
    requests: 0,
    refused: [],
    failNext(count, error = {}) {
      for (let i = 0; i < count; i++) {
        failures.push({ status: error.status ?? 400, code: error.code ?? 130429, message: error.message ?? 'Rate limit hit' });
      }
    },
    sentTo: (user) => fake.sent.filter((s) => s.message.to === user).map((s) => s.message),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const server = createServer((req, res) => {
    void (async () => {
      const match = /^\/(?:v\d+\.\d+\/)?([^/?]+)\/messages$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return graphError(res, 404, 100, 'Unknown path components');
      fake.requests++;
      const body = await readBody(req);
      if (req.headers.authorization !== `Bearer ${options.token}`) return graphError(res, 401, 190, 'Invalid OAuth access token');
      const failure = failures.shift();
      if (failure) return graphError(res, failure.status, failure.code, failure.message);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return graphError(res, 400, 100, 'Invalid JSON');
      }
      const message = GraphMessage.safeParse(json);
      if (!message.success) {
        const paths = message.error.issues.map((i) => i.path.join('.')).join(', ');
        fake.refused.push(paths);
        return graphError(res, 400, 100, `Invalid parameter: ${paths}`);
      }
      fake.sent.push({ phoneNumberId: decodeURIComponent(match[1]!), message: message.data });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: message.data.to, wa_id: message.data.to }],
          messages: [{ id: `wamid.fake${++counter}` }],
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v23.0`;
  return fake;
}
