// The HTTP face of Puente: web chat page, /api/chat, health checks. Channel webhooks mount here too.
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import type { Bot } from '../bot.js';
import type { Logger } from '../log.js';
import { webchatDir } from '../paths.js';
import { chatApi } from './chat-api.js';

export interface AppOptions {
  bot: Bot;
  log: Logger;
  /** False while a dependency (Redis) is unreachable; /readyz reports it. */
  ready: () => boolean;
}

export function createApp({ bot, log, ready }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const isReady = ready();
    res.status(isReady ? 200 : 503).json({ status: isReady ? 'ready' : 'not ready' });
  });
  app.use(chatApi(bot));
  app.use(express.static(webchatDir, { index: 'index.html', maxAge: '1h' }));

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
