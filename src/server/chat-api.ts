// POST /api/chat: the web chat's endpoint, and the contract QA scripts and the benchmark use.
// It is the busiest path, so it is served by node:http directly, before Express (see app.ts):
// Express's work per request measured as much as a whole turn of the bot (BENCHMARKS.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Bot } from '../bot.js';
import type { Logger } from '../log.js';
import { Location, type Reply } from '../model/message.js';

export const CHAT_PATH = '/api/chat';
/** Far more than any message (texts are cut at MAX_TEXT_CHARS); a bound on what is read. */
const BODY_LIMIT_BYTES = 32 * 1024;

export const ChatRequest = z
  .object({
    user: z.string().min(1).max(128),
    messageId: z.string().min(1).max(128).optional(),
    text: z.string().optional(),
    choice: z.string().min(1).max(128).optional(),
    location: Location.optional(),
  })
  .refine((m) => [m.text, m.choice, m.location].filter((v) => v !== undefined).length === 1, {
    message: 'send exactly one of "text", "choice" or "location"',
  });

/**
 * What a JSON answer of this API carries: never cached (it is someone's conversation), never
 * sniffed as anything but JSON. Few on purpose, and as a flat list: each header is work on every turn.
 */
const HEADERS = ['content-type', 'application/json; charset=utf-8', 'cache-control', 'no-store', 'x-content-type-options', 'nosniff'];

function send(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, JSON.stringify(body));
}

function sendJson(res: ServerResponse, status: number, text: string): void {
  // Encoded once, outside the JS heap: its length comes from the same bytes, and node:http writes
  // them as they are instead of joining its headers and the text into one more string.
  const json = Buffer.from(text);
  res.writeHead(status, [...HEADERS, 'content-length', String(json.length)]);
  res.end(json);
}

/** A frozen reply (a menu, see the engine) never changes: its JSON is made once. */
const replyJson = new WeakMap<Reply, string>();

/** The same text as JSON.stringify({ messages: replies }), with frozen replies from memory. */
function messagesJson(replies: readonly Reply[]): string {
  const parts = replies.map((reply) => {
    if (!Object.isFrozen(reply)) return JSON.stringify(reply);
    let json = replyJson.get(reply);
    if (json === undefined) replyJson.set(reply, (json = JSON.stringify(reply)));
    return json;
  });
  return `{"messages":[${parts.join(',')}]}`;
}

type Body = { text: string } | { status: number; error: string };

/** Why a request's body is refused before it is read, if it is. */
function refusalOf(req: IncomingMessage): { status: number; error: string } | undefined {
  // From the raw list: building node's header object costs more than the few looked at here.
  let contentType = '';
  let encoding = 'identity';
  let length = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 12 && name.toLowerCase() === 'content-type') contentType ||= raw[i + 1]!; // the first, as node keeps it
    else if (name.length === 16 && name.toLowerCase() === 'content-encoding') encoding = raw[i + 1]!;
    else if (name.length === 14 && name.toLowerCase() === 'content-length') length = Number(raw[i + 1]);
  }
  if (contentType !== 'application/json') {
    const [type, ...params] = contentType.toLowerCase().split(';').map((s) => s.trim());
    const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
    if (type !== 'application/json') return { status: 415, error: 'send the message as JSON (content-type: application/json)' };
    if (charset && charset !== 'utf-8' && charset !== 'utf8') return { status: 415, error: 'send the message in UTF-8' };
  }
  if (encoding.toLowerCase() !== 'identity') return { status: 415, error: 'send the message uncompressed' };
  if (length > BODY_LIMIT_BYTES) return { status: 413, error: 'request body too large' };
  return undefined;
}

/** Reads a JSON body of at most BODY_LIMIT_BYTES. A refused body is still read to its end, so the connection stays usable. */
function readBody(req: IncomingMessage): Promise<Body> {
  let refusal = refusalOf(req);

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (refusal) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        refusal = { status: 413, error: 'request body too large' };
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(refusal ?? { text: Buffer.concat(chunks, size).toString('utf8') }));
    const cutOff = { status: 400, error: 'the request was cut off' };
    req.on('error', () => resolve(cutOff));
    req.on('close', () => {
      if (!req.complete) resolve(cutOff);
    });
  });
}

export function chatEndpoint(bot: Bot, log: Logger, now: () => number = Date.now): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const body = await readBody(req);
      if ('status' in body) return send(res, body.status, { error: body.error });
      let json: unknown;
      try {
        json = JSON.parse(body.text);
      } catch {
        return send(res, 400, { error: 'request body is not valid JSON' });
      }
      const parsed = ChatRequest.safeParse(json);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
        return send(res, 400, { error: 'invalid request', details });
      }
      const messages = await bot.handle({ channel: 'web', timestamp: now(), ...parsed.data });
      sendJson(res, 200, messagesJson(messages));
    })().catch((error: unknown) => {
      log.error({ err: { message: (error as Error).message } }, 'chat request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  };
}
