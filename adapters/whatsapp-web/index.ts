// WhatsApp through WhatsApp Web (whatsapp-web.js driving the system Chromium): unofficial, for
// small deployments and pilots. One browser logged in as one phone number; it cannot scale out.
// Login by QR (terminal, and GET /admin/whatsapp-web with the admin token); LocalAuth keeps the
// session in dataDir so a restart does not ask again. Sends are paced (pacing.ts) and retried; a
// dropped connection is re-opened with a growing pause. Nothing here throws out to the process.
import { createHmac, randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Channel, ChannelDeps } from '../channel.js';
import { tokenMatches } from '../../src/server/admin.js';
import { createRealClient, type CreateWhatsAppClient, type WhatsAppClientLike, type WhatsAppMessageLike } from './client.js';
import { createPacer, realClock, type Clock } from './pacing.js';
import { CHANNEL, parseMessage, UNSUPPORTED_REPLY } from './parse.js';
import { renderReplies } from './render.js';

export interface WhatsAppWebOptions {
  chromiumPath: string;
  dataDir: string;
  chatIntervalMs: number;
  globalIntervalMs: number;
  /** Serves the QR page at /admin/whatsapp-web; without it that page answers 404. */
  adminToken?: string;
}

export interface WhatsAppWebDeps extends ChannelDeps {
  /** Defaults to the real whatsapp-web.js client, loaded only then. */
  createClient?: CreateWhatsAppClient;
  /** For the pacing; defaults to the real clock. */
  clock?: Clock;
  /** Runs `run` after `ms` and returns a cancel; for reconnects and the stop deadline. Defaults to setTimeout. */
  schedule?: (run: () => void, ms: number) => () => void;
  /** Shows a login QR to the operator; defaults to a small qrcode-terminal drawing on stdout. */
  printQr?: (qr: string) => void | Promise<void>;
  /** Tries per outgoing message and the pause before the first retry (default 3 and 2 s). */
  sendAttempts?: number;
  retryDelayMs?: number;
}

export type ConnectionState = 'stopped' | 'starting' | 'waiting_for_qr' | 'authenticated' | 'connected' | 'auth_failure' | 'disconnected';

export interface WhatsAppWebStatus {
  state: ConnectionState;
  /** The latest login QR, while one is waiting to be scanned. */
  qr?: string;
  /** Reconnects tried since the last time the session was ready. */
  reconnects: number;
}

export interface WhatsAppWebChannel extends Channel {
  status(): WhatsAppWebStatus;
  /** Resolves when every message received so far has been handled and its replies sent (or given up). */
  idle(): Promise<void>;
}

export const RECONNECT_MIN_MS = 5_000;
export const RECONNECT_MAX_MS = 5 * 60_000;
/** How long a queued reply waits for the connection to come back before that try counts as failed. */
export const CONNECT_WAIT_MS = 60_000;
/** How long stop() lets queued replies go out before closing the browser. */
export const STOP_DRAIN_MS = 10_000;

export const reconnectDelay = (reconnects: number): number => Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** reconnects);

const defaultSchedule = (run: () => void, ms: number): (() => void) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

async function printQrToTerminal(qr: string): Promise<void> {
  const { default: qrcodeTerminal } = await import('qrcode-terminal');
  qrcodeTerminal.generate(qr, { small: true }, (drawing) => void process.stdout.write(`Scan this with WhatsApp on the bot's phone (Linked devices → Link a device):\n${drawing}\n`));
}

async function qrSvg(qr: string): Promise<string> {
  const { default: qrcode } = await import('qrcode');
  return qrcode.toString(qr, { type: 'svg', margin: 2, width: 320 });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300);

const STATE_TEXT: Record<ConnectionState, string> = {
  stopped: 'stopped',
  starting: 'starting the browser…',
  waiting_for_qr: 'waiting for the QR code to be scanned',
  authenticated: 'logged in, loading chats…',
  connected: 'connected',
  auth_failure: 'login failed: a new QR code will follow',
  disconnected: 'disconnected: reconnecting…',
};

async function statusPage(status: WhatsAppWebStatus): Promise<string> {
  let body: string;
  if (status.state === 'connected') body = '<p class="ok">✅ connected</p>';
  else if (status.qr) {
    const svg = await qrSvg(status.qr).catch(() => `<pre>${escapeHtml(status.qr ?? '')}</pre>`);
    body = `<p>Open WhatsApp on the bot's phone → Settings → Linked devices → Link a device, and scan:</p><div class="qr">${svg}</div>`;
  } else body = `<p>${escapeHtml(STATE_TEXT[status.state])}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${status.state === 'connected' ? 60 : 5}">
<title>Puente — WhatsApp Web</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}.qr svg{width:320px;height:320px}.ok{font-size:1.5rem}</style>
</head><body><h1>Puente — WhatsApp Web</h1>
<p>State: <strong>${escapeHtml(STATE_TEXT[status.state])}</strong></p>
${body}
<p><small>The page refreshes by itself. A QR code is valid for about 20 seconds.</small></p>
</body></html>`;
}

export function createWhatsAppWebChannel(options: WhatsAppWebOptions, deps: WhatsAppWebDeps): WhatsAppWebChannel {
  const { bot, log } = deps;
  const createClient = deps.createClient ?? createRealClient;
  const clock = deps.clock ?? realClock;
  const schedule = deps.schedule ?? defaultSchedule;
  const printQr = deps.printQr ?? printQrToTerminal;

  // Chat ids are phone numbers: logs get a keyed hash that only links lines of this one run.
  const refKey = randomBytes(32);
  const ref = (chatId: string) => createHmac('sha256', refKey).update(chatId).digest('base64url').slice(0, 12);

  let state: ConnectionState = 'stopped';
  let latestQr: string | undefined;
  let client: WhatsAppClientLike | undefined;
  let generation = 0;
  let reconnects = 0;
  let cancelReconnect: (() => void) | undefined;
  let stopped = true;
  let connectedWaiters: (() => void)[] = [];
  const inFlight = new Set<Promise<void>>();
  /** Recent unsupported-message ids, so a redelivered picture is answered once. */
  const answeredUnsupported = new Set<string>();

  const setState = (next: ConnectionState, detail: Record<string, unknown> = {}) => {
    if (next === state) return;
    state = next;
    log.info({ channel: CHANNEL, state: next, ...detail }, 'whatsapp-web state');
    if (next === 'connected') {
      const waiters = connectedWaiters;
      connectedWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const connected = (): Promise<boolean> => {
    if (state === 'connected') return Promise.resolve(true);
    return new Promise((resolve) => {
      let settled = false;
      const cancel = schedule(() => {
        if (settled) return;
        settled = true;
        resolve(false);
      }, CONNECT_WAIT_MS);
      connectedWaiters.push(() => {
        if (settled) return;
        settled = true;
        cancel();
        resolve(true);
      });
    });
  };

  const pacer = createPacer({
    chatIntervalMs: options.chatIntervalMs,
    globalIntervalMs: options.globalIntervalMs,
    clock,
    attempts: deps.sendAttempts,
    retryDelayMs: deps.retryDelayMs,
    async send(chatId, text) {
      if (!(await connected()) || !client) throw new Error('WhatsApp Web is not connected');
      await client.sendMessage(chatId, text);
    },
    onFailure({ chatId, error, attempt, final }) {
      const detail = { channel: CHANNEL, chat: ref(chatId), attempt, err: { message: errorText(error) } };
      if (final) log.error(detail, 'whatsapp-web send failed, message given up');
      else log.warn(detail, 'whatsapp-web send failed, will retry');
    },
  });

  async function safeDestroy(old: WhatsAppClientLike | undefined): Promise<void> {
    if (!old) return;
    try {
      await old.destroy();
    } catch (error) {
      log.warn({ channel: CHANNEL, err: { message: errorText(error) } }, 'whatsapp-web browser did not close cleanly');
    }
  }

  function scheduleReconnect(): void {
    if (stopped || cancelReconnect) return;
    const delayMs = reconnectDelay(reconnects);
    reconnects += 1;
    log.info({ channel: CHANNEL, delayMs, attempt: reconnects }, 'whatsapp-web reconnecting later');
    cancelReconnect = schedule(() => {
      cancelReconnect = undefined;
      void reconnect();
    }, delayMs);
  }

  async function reconnect(): Promise<void> {
    if (stopped) return;
    const old = client;
    client = undefined;
    generation += 1;
    await safeDestroy(old);
    await connect();
  }

  async function handleMessage(message: WhatsAppMessageLike): Promise<void> {
    try {
      const parsed = parseMessage(message, clock.now());
      if (parsed.kind === 'ignore') {
        log.debug({ channel: CHANNEL, reason: parsed.reason }, 'whatsapp-web message ignored');
        return;
      }
      if (parsed.kind === 'unsupported') {
        if (parsed.messageId && answeredUnsupported.has(parsed.messageId)) return;
        answeredUnsupported.add(parsed.messageId);
        if (answeredUnsupported.size > 1000) answeredUnsupported.delete(answeredUnsupported.values().next().value ?? '');
        log.info({ channel: CHANNEL, chat: ref(parsed.chatId), type: parsed.type }, 'whatsapp-web message type not read');
        await pacer.enqueue(parsed.chatId, [UNSUPPORTED_REPLY]);
        return;
      }
      const replies = await bot.handle(parsed.inbound);
      await pacer.enqueue(parsed.chatId, renderReplies(replies));
    } catch (error) {
      log.error({ channel: CHANNEL, err: { message: errorText(error) } }, 'whatsapp-web message not handled');
    }
  }

  function attach(target: WhatsAppClientLike, own: number): void {
    const current = () => own === generation && !stopped;
    target.on('qr', (qr) => {
      if (!current()) return;
      latestQr = qr;
      setState('waiting_for_qr');
      log.info({ channel: CHANNEL }, 'whatsapp-web login QR code ready: scan it from the terminal or /admin/whatsapp-web');
      void Promise.resolve()
        .then(() => printQr(qr))
        .catch((error: unknown) => log.warn({ channel: CHANNEL, err: { message: errorText(error) } }, 'whatsapp-web QR not printed'));
    });
    target.on('authenticated', () => {
      if (!current()) return;
      latestQr = undefined;
      setState('authenticated');
    });
    target.on('auth_failure', (message) => {
      if (!current()) return;
      setState('auth_failure', { reason: errorText(message) });
    });
    target.on('ready', () => {
      if (!current()) return;
      latestQr = undefined;
      reconnects = 0;
      setState('connected');
    });
    target.on('disconnected', (reason) => {
      if (!current()) return;
      setState('disconnected', { reason: errorText(reason) });
      scheduleReconnect();
    });
    target.on('message', (message) => {
      if (!current()) return;
      const handled = handleMessage(message);
      inFlight.add(handled);
      void handled.finally(() => inFlight.delete(handled));
      return handled;
    });
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const own = generation;
    setState('starting');
    let created: WhatsAppClientLike;
    try {
      created = await createClient({ chromiumPath: options.chromiumPath, dataDir: options.dataDir });
    } catch (error) {
      log.error({ channel: CHANNEL, err: { message: errorText(error) } }, 'whatsapp-web client could not be created');
      setState('disconnected');
      scheduleReconnect();
      return;
    }
    if (stopped || own !== generation) return void safeDestroy(created);
    client = created;
    attach(created, own);
    // Not awaited: opening WhatsApp Web takes a while (and waits for the QR to be scanned), and
    // start() must not hold up the HTTP server that serves that QR.
    created.initialize().then(
      () => log.debug({ channel: CHANNEL }, 'whatsapp-web browser session open'),
      (error: unknown) => {
        if (stopped || own !== generation) return;
        log.error({ channel: CHANNEL, chromiumPath: options.chromiumPath, err: { message: errorText(error) } }, 'whatsapp-web browser session failed');
        setState('disconnected');
        scheduleReconnect();
      },
    );
  }

  const router = Router();
  router.get('/admin/whatsapp-web', async (req, res) => {
    if (!options.adminToken) return void res.status(404).json({ error: 'not found' });
    const header = req.get('authorization');
    const given = header?.startsWith('Bearer ') ? header.slice(7) : typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!tokenMatches(given, options.adminToken)) return void res.status(401).json({ error: 'a valid admin token is required' });
    res.set('Cache-Control', 'no-store');
    try {
      res.type('html').send(await statusPage({ state, qr: latestQr, reconnects }));
    } catch (error) {
      log.error({ channel: CHANNEL, err: { message: errorText(error) } }, 'whatsapp-web status page failed');
      res.status(500).json({ error: 'internal error' });
    }
  });

  const idle = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
    await pacer.idle();
  };

  return {
    name: CHANNEL,
    router,
    status: () => ({ state, qr: latestQr, reconnects }),
    idle,
    async start() {
      if (!stopped) return;
      stopped = false;
      reconnects = 0;
      log.info({ channel: CHANNEL, chromiumPath: options.chromiumPath, dataDir: options.dataDir }, 'whatsapp-web starting');
      await connect();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      cancelReconnect?.();
      cancelReconnect = undefined;
      // Let what is queued go out, for a while, before closing the browser.
      await new Promise<void>((resolve) => {
        const cancel = schedule(resolve, STOP_DRAIN_MS);
        void idle().then(() => {
          cancel();
          resolve();
        });
      });
      generation += 1;
      const old = client;
      client = undefined;
      latestQr = undefined;
      await safeDestroy(old);
      for (const resolve of connectedWaiters) resolve();
      connectedWaiters = [];
      setState('stopped');
    },
  };
}
