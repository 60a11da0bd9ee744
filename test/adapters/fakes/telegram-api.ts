// A local stand-in for the Telegram Bot API (node:http on 127.0.0.1, a free port), enough for
// telegraf: getMe, getUpdates (a queue served with long polling), setWebhook, deleteWebhook,
// sendMessage, sendLocation, answerCallbackQuery. Every call is recorded; a call can be made to
// fail once (429 with retry_after, 500, 403…). It checks what Telegram checks that matters here:
// text length, callback_data size, getUpdates refused while a webhook is set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Params = Record<string, unknown>;

export interface ApiCall {
  method: string;
  params: Params;
  /** The HTTP status the fake answered with. */
  status: number;
}

export interface Failure {
  status: number;
  body: Params;
}

export const TOO_MANY_REQUESTS: Failure = {
  status: 429,
  body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
};

export const SERVER_ERROR: Failure = { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } };

export const BLOCKED: Failure = { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } };

export interface FakeTelegramApi {
  /** Pass as telegraf's apiRoot. */
  apiRoot: string;
  token: string;
  calls: ApiCall[];
  /** The webhook set with setWebhook, if any. */
  webhook?: { url: string; secretToken?: string };
  /** Queues one update for getUpdates; update_id is assigned; returns it. */
  push(update: Params): number;
  /** The next call to `method` gets this answer instead (in order, once each). */
  failNext(method: string, failure: Failure): void;
  /** Resolves once `predicate` holds on the recorded calls (checked on each call); rejects after `timeoutMs`. */
  waitFor(predicate: (calls: ApiCall[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Poller {
  offset: number;
  limit: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export interface FakeOptions {
  token?: string;
  /** How long an empty getUpdates waits for an update before answering []. Short: this is a test. */
  longPollMs?: number;
}

export async function startFakeTelegramApi(options: FakeOptions = {}): Promise<FakeTelegramApi> {
  const token = options.token ?? '123456:TEST-token';
  const longPollMs = options.longPollMs ?? 250;
  const queue: Params[] = [];
  const failures = new Map<string, Failure[]>();
  const pollers = new Set<Poller>();
  const watchers = new Set<() => void>();
  let nextUpdateId = 1;
  let nextMessageId = 1;

  const fake: FakeTelegramApi = {
    apiRoot: '',
    token,
    calls: [],
    push(update) {
      const update_id = nextUpdateId++;
      queue.push({ update_id, ...update });
      for (const poller of [...pollers]) servePoller(poller);
      return update_id;
    },
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      if (predicate(fake.calls)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(fake.calls)) return;
          clearTimeout(timer);
          watchers.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`fake Telegram: condition not met; calls so far:\n${fake.calls.map((c) => `${c.status} ${c.method}`).join('\n')}`));
        }, timeoutMs);
        watchers.add(check);
      });
    },
    async close() {
      for (const poller of [...pollers]) answerPoller(poller, []);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function record(call: ApiCall): void {
    fake.calls.push(call);
    for (const watch of [...watchers]) watch();
  }

  function pending(offset: number, limit: number): Params[] {
    // Like Telegram: an offset confirms every update before it.
    while (queue.length && Number(queue[0]!.update_id) < offset) queue.shift();
    return queue.slice(0, limit);
  }

  function servePoller(poller: Poller): void {
    const updates = pending(poller.offset, poller.limit);
    if (updates.length) answerPoller(poller, updates);
  }

  function answerPoller(poller: Poller, updates: Params[]): void {
    clearTimeout(poller.timer);
    pollers.delete(poller);
    if (!poller.res.writableEnded && !poller.res.destroyed) send(poller.res, 200, { ok: true, result: updates });
  }

  function message(chatId: unknown, extra: Params): Params {
    return { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from: { id: 1, is_bot: true, first_name: 'Puente' }, ...extra };
  }

  function handle(method: string, params: Params, res: ServerResponse): void {
    const failure = failures.get(method)?.shift();
    if (failure) {
      record({ method, params, status: failure.status });
      return send(res, failure.status, failure.body);
    }
    const ok = (result: unknown) => {
      record({ method, params, status: 200 });
      send(res, 200, { ok: true, result });
    };
    const bad = (status: number, description: string) => {
      record({ method, params, status });
      send(res, status, { ok: false, error_code: status, description });
    };
    switch (method) {
      case 'getMe':
        return ok({ id: 123456, is_bot: true, first_name: 'Puente', username: 'puente_test_bot' });
      case 'setWebhook':
        if (typeof params.url !== 'string' || !params.url) return bad(400, 'Bad Request: bad webhook: URL is empty');
        fake.webhook = { url: params.url, secretToken: typeof params.secret_token === 'string' ? params.secret_token : undefined };
        return ok(true);
      case 'deleteWebhook':
        fake.webhook = undefined;
        return ok(true);
      case 'getUpdates': {
        if (fake.webhook) return bad(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        const offset = typeof params.offset === 'number' ? params.offset : 0;
        const limit = typeof params.limit === 'number' ? params.limit : 100;
        record({ method, params, status: 200 });
        const updates = pending(offset, limit);
        const timeout = typeof params.timeout === 'number' ? params.timeout : 0;
        if (updates.length || timeout === 0) return send(res, 200, { ok: true, result: updates });
        const poller: Poller = { offset, limit, res, timer: setTimeout(() => answerPoller(poller, []), longPollMs) };
        pollers.add(poller);
        res.on('close', () => {
          clearTimeout(poller.timer);
          pollers.delete(poller);
        });
        return;
      }
      case 'sendMessage': {
        const text = params.text;
        if (typeof text !== 'string' || !text.trim()) return bad(400, 'Bad Request: message text is empty');
        if (text.length > 4096) return bad(400, 'Bad Request: message is too long');
        const markup = params.reply_markup as { inline_keyboard?: { callback_data?: unknown }[][] } | undefined;
        for (const button of markup?.inline_keyboard?.flat() ?? []) {
          const data = button.callback_data;
          if (typeof data !== 'string' || !data || Buffer.byteLength(data) > 64) return bad(400, 'Bad Request: BUTTON_DATA_INVALID');
        }
        return ok(message(params.chat_id, { text }));
      }
      case 'sendLocation':
        if (typeof params.latitude !== 'number' || typeof params.longitude !== 'number') return bad(400, 'Bad Request: wrong location');
        return ok(message(params.chat_id, { location: { latitude: params.latitude, longitude: params.longitude } }));
      case 'answerCallbackQuery':
        if (typeof params.callback_query_id !== 'string') return bad(400, 'Bad Request: query is too old');
        return ok(true);
      default:
        return bad(404, 'Not Found: method not found');
    }
  }

  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
      if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (match[1] !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      let params: Params = {};
      if (raw) {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) params = parsed as Params;
        } catch {
          return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
        }
      }
      handle(match[2]!, params, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('fake Telegram: no address');
  fake.apiRoot = `http://127.0.0.1:${address.port}`;
  return fake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
