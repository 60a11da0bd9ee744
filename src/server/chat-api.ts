// POST /api/chat: the web chat's endpoint, and the contract QA scripts and the benchmark use.
// It is the busiest path, so it is served by node:http directly, before Express (see app.ts):
// Express's work per request measured as much as a whole turn of the bot (BENCHMARKS.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Bot } from '../bot.js';
import type { Logger } from '../log.js';
import { Location } from '../model/message.js';

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
  const json = JSON.stringify(body);
  res.writeHead(status, [...HEADERS, 'content-length', String(Buffer.byteLength(json))]);
  res.end(json);
}

type Body = { text: string } | { status: number; error: string };

/** Reads a JSON body of at most BODY_LIMIT_BYTES. A refused body is still read to its end, so the connection stays usable. */
function readBody(req: IncomingMessage): Promise<Body> {
  const [type, ...params] = (req.headers['content-type'] ?? '').toLowerCase().split(';').map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  let refusal: { status: number; error: string } | undefined;
  if (type !== 'application/json') refusal = { status: 415, error: 'send the message as JSON (content-type: application/json)' };
  else if (charset && charset !== 'utf-8' && charset !== 'utf8') refusal = { status: 415, error: 'send the message in UTF-8' };
  else if ((req.headers['content-encoding'] ?? 'identity') !== 'identity') refusal = { status: 415, error: 'send the message uncompressed' };
  else if (Number(req.headers['content-length']) > BODY_LIMIT_BYTES) refusal = { status: 413, error: 'request body too large' };

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
      send(res, 200, { messages });
    })().catch((error: unknown) => {
      log.error({ err: { message: (error as Error).message } }, 'chat request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  };
}
