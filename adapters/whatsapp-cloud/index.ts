// The official WhatsApp Business Cloud API channel: Meta calls our webhook, we answer through the
// Graph API. GET /webhooks/whatsapp is Meta's verification handshake; POST /webhooks/whatsapp
// carries messages, signed with the app secret (checked on the raw body before anything else).
// We answer 200 at once, then handle each message through bot.handle and send the replies.
import { createHmac } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { tokenMatches } from '../../src/server/admin.js';
import { KeyedLock } from '../../src/store/keyed-lock.js';
import type { Channel, ChannelDeps } from '../channel.js';
import { createGraphSender } from './graph.js';
import { CHANNEL, parseWebhook, type WebhookEvent } from './parse.js';
import { renderReplies, type OutgoingMessage } from './render.js';
import { ServiceWindow } from './window.js';

export const WEBHOOK_PATH = '/webhooks/whatsapp';
export const BODY_LIMIT = '1mb';

/** Channel behaviour, not conversation: what we answer to an image, a voice note, a sticker… */
export const UNSUPPORTED_TEXT =
  'Lo siento, solo puedo leer mensajes de texto, botones y ubicaciones: no puedo ver imágenes, videos ni documentos, ni escuchar audios. Escríbeme, por favor.\n\n' +
  'Sorry, I can only read text messages, buttons and locations: I cannot see images, videos or documents, or listen to audio. Please write to me.';

export interface WhatsAppCloudOptions {
  /** Permanent (system user) access token with whatsapp_business_messaging. */
  token: string;
  phoneNumberId: string;
  /** The "Verify token" typed into the Meta app's webhook settings. */
  verifyToken: string;
  /** The Meta app's secret: signs every webhook (X-Hub-Signature-256). */
  appSecret: string;
  /** e.g. https://graph.facebook.com/v23.0 */
  graphUrl: string;
  /** Clock in ms, for the 24-hour window (tests inject one). */
  now?: () => number;
  /** Attempts per message on network/5xx/rate-limit trouble (default 5). */
  maxAttempts?: number;
  /** First backoff wait in ms (default 1000; doubles each retry). */
  retryBaseMs?: number;
  /** Per-request timeout in ms (default 10000). */
  timeoutMs?: number;
}

export interface WhatsAppCloudChannel extends Channel {
  router: Router;
  /** Resolves once every webhook received so far has been handled and its replies sent. */
  idle(): Promise<void>;
}

export function createWhatsAppCloudChannel(options: WhatsAppCloudOptions, deps: ChannelDeps): WhatsAppCloudChannel {
  for (const key of ['token', 'phoneNumberId', 'verifyToken', 'appSecret', 'graphUrl'] as const) {
    if (!options[key]) throw new Error(`whatsapp-cloud: ${key} is required`);
  }
  const { bot } = deps;
  const log = deps.log.child({ channel: CHANNEL });
  const now = options.now ?? Date.now;
  const window = new ServiceWindow(now);
  const locks = new KeyedLock();
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  const sendOne = createGraphSender({
    graphUrl: options.graphUrl,
    phoneNumberId: options.phoneNumberId,
    token: options.token,
    log,
    maxAttempts: options.maxAttempts ?? 5,
    retryBaseMs: options.retryBaseMs ?? 1000,
    timeoutMs: options.timeoutMs ?? 10_000,
    stopping: () => stopping,
  });

  // Phone numbers and wamids (which encode the phone number) never reach a log or a key in clear.
  const hash = (value: string) => createHmac('sha256', options.appSecret).update(`${CHANNEL}:${value}`).digest('base64url').slice(0, 16);

  // The bot drops redelivered messages itself; the polite answer to an image is ours to dedupe.
  const answeredUnsupported = new Set<string>();
  const firstTime = (messageId: string) => {
    const key = hash(messageId);
    if (answeredUnsupported.has(key)) return false;
    answeredUnsupported.add(key);
    if (answeredUnsupported.size > 1000) answeredUnsupported.delete(answeredUnsupported.values().next().value!);
    return true;
  };

  async function sendAll(to: string, user: string, messages: OutgoingMessage[]): Promise<void> {
    for (const [i, message] of messages.entries()) {
      if (!window.isOpen(user)) {
        log.warn({ user, dropped: messages.length - i }, 'outside the 24-hour window: messages not sent');
        return;
      }
      await sendOne(to, message, user);
    }
  }

  async function handleEvent(event: WebhookEvent, user: string): Promise<void> {
    window.record(user, event.at);
    switch (event.kind) {
      case 'ignored':
        log.debug({ user, type: event.type }, 'message type ignored');
        return;
      case 'unsupported':
        if (!firstTime(event.messageId)) return;
        log.info({ user, type: event.type }, 'unsupported message type: polite answer');
        return sendAll(event.user, user, [{ type: 'text', text: { body: UNSUPPORTED_TEXT } }]);
      case 'inbound': {
        const replies = await bot.handle(event.inbound);
        return sendAll(event.user, user, renderReplies(replies));
      }
    }
  }

  const track = (work: Promise<void>) => {
    const done = work.catch((error: unknown) => log.error({ err: error }, 'message handling failed'));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  const verify: RequestHandler = (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    const ok =
      mode === 'subscribe' &&
      typeof token === 'string' &&
      tokenMatches(token, options.verifyToken) &&
      typeof challenge === 'string' &&
      challenge.length > 0 &&
      challenge.length <= 512;
    if (!ok) {
      log.warn('webhook verification refused');
      return void res.status(403).type('text/plain').send('forbidden');
    }
    log.info('webhook verified by Meta');
    res.status(200).type('text/plain').set('x-content-type-options', 'nosniff').send(challenge);
  };

  const receive: RequestHandler = (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const expected = `sha256=${createHmac('sha256', options.appSecret).update(raw).digest('hex')}`;
    if (!tokenMatches(req.get('x-hub-signature-256')?.toLowerCase(), expected)) {
      log.warn('webhook with a missing or wrong signature refused');
      return void res.status(401).json({ error: 'invalid signature' });
    }
    if (stopping) return void res.status(503).json({ error: 'shutting down' });
    const parsed = parseWebhook(raw.toString('utf8'), options.phoneNumberId);
    if (!parsed.ok) return void res.status(400).json({ error: parsed.error });
    res.sendStatus(200);

    const { events, statuses, otherNumbers } = parsed.webhook;
    if (statuses) log.debug({ statuses }, 'status callbacks ignored');
    if (otherNumbers) log.debug({ messages: otherNumbers }, 'messages for another phone number ignored');
    for (const event of events) {
      const user = hash(event.user);
      track(locks.run(user, () => handleEvent(event, user)));
    }
  };

  const onError: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, _next) => {
    if (error.type === 'entity.too.large') return void res.status(413).json({ error: 'request body too large' });
    if (error.status && error.status >= 400 && error.status < 500) return void res.status(error.status).json({ error: 'bad request' });
    log.error({ err: error }, 'webhook request failed');
    res.status(500).json({ error: 'internal error' });
  };

  const router = Router();
  router.get(WEBHOOK_PATH, verify);
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: BODY_LIMIT }), receive, onError);

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  return {
    name: CHANNEL,
    router,
    idle,
    async start() {
      stopping = false;
    },
    async stop() {
      stopping = true;
      await idle();
    },
  };
}
