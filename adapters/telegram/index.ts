// The Telegram channel (telegraf): long polling by default, a webhook when a public URL is set.
// Every update becomes at most one bot.handle call; replies go out in order per chat, retried
// on network errors, 5xx and 429; nothing here throws into the process. Logs carry no message
// text and no chat id (only a per-process reference that cannot be turned back into one).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router, json, type ErrorRequestHandler, type RequestHandler } from 'express';
import { Telegraf, TelegramError } from 'telegraf';
import type { Channel, ChannelDeps } from '../channel.js';
import type { Reply } from '../../src/model/message.js';
import { KeyedLock } from '../../src/store/keyed-lock.js';
import { parseUpdate, UpdateEnvelope } from './parse.js';
import { renderReplies, unbuttonable, type Outgoing } from './render.js';

export interface TelegramOptions {
  /** From @BotFather (TELEGRAM_BOT_TOKEN). */
  token: string;
  /** Another Bot API server (a local one, or a fake in tests). Default https://api.telegram.org. */
  apiRoot?: string;
  /** When set, webhook mode: Telegram posts to `${publicUrl}/webhooks/telegram`. */
  publicUrl?: string;
  /** Required in webhook mode; Telegram sends it back in X-Telegram-Bot-Api-Secret-Token. */
  webhookSecret?: string;
}

export const WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** One request may take this long before it counts as a network failure. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Attempts per API call (the first one included). */
const MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 500;
/** A 429 asking to wait longer than this is given up rather than held in memory. */
const MAX_RETRY_AFTER_S = 60;
const MAX_RELAUNCH_DELAY_MS = 60_000;

type Failure = { retryable: boolean; retryAfterS?: number; code?: number | string; description?: string };

export function createTelegramChannel(options: TelegramOptions, deps: ChannelDeps): Channel {
  const log = deps.log.child({ channel: 'telegram' });
  const token = options.token.trim();
  if (!token) throw new Error('Telegram: the bot token (TELEGRAM_BOT_TOKEN) is empty.');
  const webhookUrl = options.publicUrl === undefined ? undefined : webhookUrlFor(options.publicUrl);
  const secret = options.webhookSecret;
  if (webhookUrl && !secret) {
    throw new Error(
      'Telegram: webhook mode (PUBLIC_URL is set) needs TELEGRAM_WEBHOOK_SECRET, so that only Telegram can post updates. ' +
        'Set it to a random string of letters, digits, _ and - (for example: openssl rand -hex 32), or unset PUBLIC_URL to use long polling.',
    );
  }
  if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
    throw new Error('Telegram: TELEGRAM_WEBHOOK_SECRET must be 1-256 letters, digits, _ or - (Telegram\'s rule).');
  }
  if (webhookUrl && secret && secret.length < 16) log.warn('TELEGRAM_WEBHOOK_SECRET is short: use at least 16 random characters');

  const telegraf = new Telegraf(token, { telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false } });
  const api = telegraf.telegram;
  const chats = new KeyedLock();
  const inFlight = new Set<Promise<unknown>>();
  const stopController = new AbortController();
  const refKey = randomBytes(32);
  const ref = (chatId: number) => createHmac('sha256', refKey).update(String(chatId)).digest('base64url').slice(0, 10);

  let started = false;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let pollLoop: Promise<void> | undefined;
  let relaunchTimer: NodeJS.Timeout | undefined;
  let relaunches = 0;

  const track = (work: Promise<unknown>) => {
    const settled = work.catch((error: unknown) => log.error({ err: failureOf(error) }, 'telegram task failed'));
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };

  /** Calls the Bot API with a timeout, retrying what can be retried; false once it gives up. */
  async function call(method: string, chat: string | undefined, request: (signal: AbortSignal) => Promise<unknown>): Promise<boolean> {
    let final = false;
    for (let attempt = 1; ; attempt++) {
      try {
        await request(AbortSignal.timeout(REQUEST_TIMEOUT_MS));
        return true;
      } catch (error) {
        const failure = failureOf(error);
        const fields = { method, chat, attempt, code: failure.code, description: failure.description };
        const tooLong = (failure.retryAfterS ?? 0) > MAX_RETRY_AFTER_S;
        if (!failure.retryable || attempt >= MAX_ATTEMPTS || final || tooLong) {
          log.warn(fields, 'telegram call failed, giving up');
          return false;
        }
        const delay = failure.retryAfterS !== undefined ? failure.retryAfterS * 1000 : BACKOFF_BASE_MS * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
        log.warn({ ...fields, retryInMs: Math.round(delay) }, 'telegram call failed, retrying');
        await sleep(delay, stopController.signal);
        // Shutting down: one last try now, no more waiting.
        final = stopping;
      }
    }
  }

  async function deliver(chatId: number, outgoing: Outgoing[]): Promise<void> {
    const chat = ref(chatId);
    for (const out of outgoing) {
      const sent = await call(out.method, chat, (signal) => {
        if (out.method === 'sendLocation') {
          return api.callApi('sendLocation', { chat_id: chatId, latitude: out.latitude, longitude: out.longitude }, { signal: apiSignal(signal) });
        }
        const { method: _method, ...message } = out;
        return api.callApi('sendMessage', { chat_id: chatId, ...message, link_preview_options: { is_disabled: true } }, { signal: apiSignal(signal) });
      });
      // The rest would not make sense without this one (and a blocked bot fails them all).
      if (!sent) return;
    }
  }

  async function turn(chatId: number, inbound: Parameters<ChannelDeps['bot']['handle']>[0]): Promise<void> {
    let replies: Reply[];
    try {
      replies = await deps.bot.handle(inbound);
    } catch (error) {
      log.error({ chat: ref(chatId), err: failureOf(error) }, 'telegram turn failed');
      return;
    }
    const skipped = unbuttonable(replies);
    if (skipped.length) log.warn({ choices: skipped }, 'choice ids too long or not plain for a Telegram button: left out');
    await deliver(chatId, renderReplies(replies));
  }

  /** One update, from polling or the webhook. Never throws; the work continues in the background. */
  function dispatch(update: unknown): void {
    relaunches = 0;
    const parsed = parseUpdate(update);
    const { inbound, chatId, callbackQueryId } = parsed;
    if (callbackQueryId !== undefined) {
      track(call('answerCallbackQuery', chatId === undefined ? undefined : ref(chatId), (signal) => api.callApi('answerCallbackQuery', { callback_query_id: callbackQueryId }, { signal: apiSignal(signal) })));
    }
    if (!inbound || chatId === undefined) {
      log.debug({ reason: parsed.ignored }, 'telegram update ignored');
      return;
    }
    // One chat at a time, in arrival order, so replies never interleave.
    track(chats.run(String(chatId), () => turn(chatId, inbound)));
  }

  telegraf.use((ctx) => void dispatch(ctx.update));
  telegraf.catch((error) => void log.error({ err: failureOf(error) }, 'telegram update failed'));

  function launchPolling(): void {
    pollLoop = telegraf.launch({ allowedUpdates: [...ALLOWED_UPDATES] }).catch((error: unknown) => {
      if (stopping) return;
      const failure = failureOf(error);
      if (failure.code === 401 || failure.code === 404) {
        log.error({ code: failure.code, description: failure.description }, 'telegram polling stopped: the bot token was rejected');
        return;
      }
      const delay = Math.min(MAX_RELAUNCH_DELAY_MS, 1000 * 2 ** relaunches++);
      log.error({ code: failure.code, description: failure.description, retryInMs: delay }, 'telegram polling failed, restarting');
      relaunchTimer = setTimeout(() => {
        relaunchTimer = undefined;
        if (!stopping) launchPolling();
      }, delay);
    });
  }

  async function start(): Promise<void> {
    if (stopping) throw new Error('Telegram: this channel was stopped; create a new one.');
    if (started) return;
    started = true;
    if (webhookUrl) {
      const ok = await call('setWebhook', undefined, (signal) =>
        api.callApi('setWebhook', { url: webhookUrl, secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, { signal: apiSignal(signal) }),
      );
      if (!ok) {
        started = false;
        throw new Error('Telegram: setWebhook failed (see the log): check TELEGRAM_BOT_TOKEN, PUBLIC_URL (Telegram needs HTTPS on port 443, 80, 88 or 8443) and the network.');
      }
      log.info('telegram webhook set');
      return;
    }
    try {
      telegraf.botInfo ??= await api.callApi('getMe', {}, { signal: apiSignal(AbortSignal.timeout(REQUEST_TIMEOUT_MS)) });
    } catch (error) {
      started = false;
      const failure = failureOf(error);
      const why = failure.code === 401 || failure.code === 404 ? 'the bot token was rejected, check TELEGRAM_BOT_TOKEN' : 'Telegram could not be reached';
      throw new Error(`Telegram: ${why} (${failure.code ?? 'error'}${failure.description ? `: ${failure.description}` : ''}).`);
    }
    launchPolling();
    log.info('telegram long polling started');
  }

  async function stop(): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      stopController.abort();
      if (relaunchTimer) clearTimeout(relaunchTimer);
      if (pollLoop) {
        try {
          telegraf.stop('shutdown');
        } catch {
          // Not running (it failed and was waiting to restart): nothing to stop.
        }
        await pollLoop;
      }
      while (inFlight.size) await Promise.all([...inFlight]);
    })();
    return stopped;
  }

  const channel: Channel = { name: 'telegram', start, stop };
  if (webhookUrl && secret) channel.router = webhookRouter(secret, () => stopping, dispatch, log);
  return channel;
}

function webhookUrlFor(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new Error(`Telegram: PUBLIC_URL is not a URL: use the address the world reaches Puente at, like https://puente.example.org.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Telegram: PUBLIC_URL must start with https://');
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
}

function webhookRouter(secret: string, isStopping: () => boolean, dispatch: (update: unknown) => void, log: ChannelDeps['log']): Router {
  const expected = digest(secret);
  const checkSecret: RequestHandler = (req, res, next) => {
    if (isStopping()) return void res.status(503).json({ error: 'shutting down' });
    const given = req.get(SECRET_HEADER);
    if (given === undefined) return void res.status(401).json({ error: 'missing secret token' });
    // Compared as fixed-length digests, in constant time.
    if (!timingSafeEqual(digest(given), expected)) return void res.status(403).json({ error: 'wrong secret token' });
    next();
  };
  const accept: RequestHandler = (req, res) => {
    const body: unknown = req.body;
    if (!UpdateEnvelope.safeParse(body).success) return void res.status(400).json({ error: 'not a Telegram update' });
    dispatch(body);
    // Answered at once: Telegram redelivers on a slow answer; the reply goes out by the API.
    res.status(200).json({ ok: true });
  };
  const onError: ErrorRequestHandler = (error: { type?: string }, _req, res, _next) => {
    log.debug({ type: error.type }, 'telegram webhook body refused');
    if (error.type === 'entity.too.large') return void res.status(413).json({ error: 'request body too large' });
    res.status(400).json({ error: 'request body is not valid JSON' });
  };
  const router = Router();
  router.post(WEBHOOK_PATH, checkSecret, json({ limit: '1mb' }), accept, onError);
  return router;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** What may be logged of an error: a code and Telegram's description, never a payload or URL. */
function failureOf(error: unknown): Failure {
  if (error instanceof TelegramError) {
    const description = error.description?.slice(0, 160);
    if (error.code === 429) return { retryable: true, retryAfterS: Math.max(0, error.parameters?.retry_after ?? 1), code: 429, description };
    return { retryable: error.code >= 500, code: error.code, description };
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    // FetchError (network), AbortError/TimeoutError (no answer in time), SyntaxError (not JSON, a proxy page).
    const retryable = ['FetchError', 'AbortError', 'TimeoutError', 'SyntaxError'].includes(error.name);
    return { retryable, code: typeof code === 'string' ? code.slice(0, 32) : error.name };
  }
  return { retryable: false, code: 'unknown' };
}

/** telegraf types the signal with the abort-controller shim; node-fetch 2 takes Node's own AbortSignal. */
type ApiSignal = NonNullable<NonNullable<Parameters<Telegraf['telegram']['callApi']>[2]>['signal']>;
function apiSignal(signal: AbortSignal): ApiSignal {
  return signal as unknown as ApiSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
