// The HTTP face of Puente: web chat page, /api/chat, health checks. Channel webhooks mount here too.
import { createServer as createHttpServer, type Server } from 'node:http';
import express, { type ErrorRequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Bot } from '../bot.js';
import type { Catalog } from '../content/catalog.js';
import type { Logger } from '../log.js';
import { webchatDir } from '../paths.js';
import type { LiveCatalog } from '../content/live-catalog.js';
import { adminApi } from './admin.js';
import { CHAT_PATH, chatEndpoint } from './chat-api.js';
import { webchatPage } from './webchat-page.js';

export interface AppOptions {
  bot: Bot;
  catalog: () => Catalog;
  log: Logger;
  /** False while a dependency (Redis) is unreachable; /readyz reports it. */
  ready: () => boolean;
  /** Staff endpoints (/admin/…), mounted only when an admin token is configured. */
  admin?: { content: LiveCatalog; token: string };
  /** Channel webhooks (adapters/): each router brings its own body parsing and checks. */
  webhooks?: Router[];
}

/** Everything on one HTTP server: POST /api/chat straight on node:http, the rest through Express. */
export function createServer(options: AppOptions): Server {
  const app = createApp(options);
  const chat = chatEndpoint(options.bot, options.log);
  return createHttpServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && (url === CHAT_PATH || url.startsWith(`${CHAT_PATH}?`))) return chat(req, res);
    app(req, res);
  });
}

function createApp({ catalog, log, ready, admin, webhooks = [] }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // No upgrade-insecure-requests: on a plain-HTTP install (a phone on the local network trying
  // a preview) it would make the browser fetch the page's own files over HTTPS, and fail.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const isReady = ready();
    res.status(isReady ? 200 : 503).json({ status: isReady ? 'ready' : 'not ready' });
  });
  for (const router of webhooks) app.use(router);
  if (admin) app.use(adminApi(admin.content, admin.token, () => new Date().toISOString().slice(0, 10)));
  app.get(['/', '/index.html'], (_req, res) => void res.type('html').send(webchatPage(catalog())));
  app.use(express.static(webchatDir, { index: false, maxAge: '10m' }));

  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  const onError: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, _next) => {
    if (error.type === 'entity.too.large') return void res.status(413).json({ error: 'request body too large' });
    if (error.type === 'entity.parse.failed') return void res.status(400).json({ error: 'request body is not valid JSON' });
    if (error.status && error.status >= 400 && error.status < 500) return void res.status(error.status).json({ error: 'bad request' });
    log.error({ err: error }, 'request failed');
    res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}
