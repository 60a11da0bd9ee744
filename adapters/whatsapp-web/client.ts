// The slice of whatsapp-web.js the adapter uses, so tests can hand it a fake client and a
// deployment without WHATSAPP_WEB never loads the library (or its browser driver) at all.
import { join } from 'node:path';

/** The fields of a whatsapp-web.js Message that the adapter reads. */
export interface WhatsAppMessageLike {
  /** The chat id: "50499999999@c.us", "…@lid", "…@g.us" for groups, "status@broadcast". */
  from: string;
  fromMe: boolean;
  /** "chat", "location", "ptt", "audio", "image", "sticker", "video", "document", … */
  type: string;
  body: string;
  /** whatsapp-web.js types these as strings but fills them with numbers; both are accepted. */
  location?: { latitude: number | string; longitude: number | string } | null;
  id: { _serialized: string };
  isStatus?: boolean;
  /** Seconds since the epoch. */
  timestamp?: number;
}

/**
 * What the adapter needs of a client. Listeners may return a promise: the real client ignores it,
 * a test fake may await it to know when a message has been handled and answered.
 */
export interface WhatsAppClientLike {
  on(event: 'qr', listener: (qr: string) => unknown): unknown;
  on(event: 'ready' | 'authenticated', listener: () => unknown): unknown;
  on(event: 'auth_failure', listener: (message: string) => unknown): unknown;
  on(event: 'disconnected', listener: (reason: string) => unknown): unknown;
  on(event: 'message', listener: (message: WhatsAppMessageLike) => unknown): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, text: string): Promise<unknown>;
}

export interface WhatsAppClientOptions {
  chromiumPath: string;
  /** Where LocalAuth keeps the logged-in session (and the WhatsApp Web page cache). */
  dataDir: string;
}

export type CreateWhatsAppClient = (options: WhatsAppClientOptions) => WhatsAppClientLike | Promise<WhatsAppClientLike>;

/** Chromium flags for a headless server: no GPU, no background downloads or updates, no sync. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The real client. whatsapp-web.js is CommonJS: its module.exports is the default export under
 * ESM (NodeNext, tsx and vitest alike). It is imported here, lazily, and nowhere else. Its
 * `puppeteer` dependency is overridden to puppeteer-core in package.json, so installing never
 * downloads a browser: the system Chromium at `chromiumPath` is used.
 */
export const createRealClient: CreateWhatsAppClient = async ({ chromiumPath, dataDir }) => {
  const { default: wweb } = await import('whatsapp-web.js');
  const client: WhatsAppClientLike = new wweb.Client({
    authStrategy: new wweb.LocalAuth({ dataPath: dataDir }),
    // The WhatsApp Web page cache goes beside the session, not into the working directory.
    webVersionCache: { type: 'local', path: join(dataDir, 'web-cache') },
    puppeteer: { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS },
  });
  return client;
};
