// Starts Puente: loads configuration and content, opens the session store, serves HTTP.
import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/problems.js';
import { createLogger } from './log.js';
import { createRuntime } from './runtime.js';
import { createApp } from './server/app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config, log);
  const app = createApp({
    bot: runtime.bot,
    catalog: runtime.catalog,
    log,
    ready: () => runtime.store.ready(),
    admin: config.ADMIN_TOKEN ? { content: runtime.content, token: config.ADMIN_TOKEN } : undefined,
  });
  if (config.CONTENT_WATCH) runtime.content.watch();
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;

  if (config.userIdSecretIsDefault) log.warn('USER_ID_SECRET is not set: using a development secret. Set it in production.');
  console.log(
    [
      `Puente is running.`,
      `  Web chat:  http://localhost:${port}/`,
      `  Sessions:  ${config.REDIS_URL ? 'Redis' : 'in memory (set REDIS_URL to keep them across restarts)'}`,
      `  Content:   ${config.CONTENT_DIR}${config.CONTENT_WATCH ? ', reloaded when files change' : ''}`,
      `  Staff:     ${config.ADMIN_TOKEN ? `http://localhost:${port}/admin/content-report (with the admin token)` : 'set ADMIN_TOKEN for /admin/reload and /admin/content-report'}`,
      `  Channels:  web chat on. Telegram, WhatsApp and Microsoft Bot Framework adapters are not in this version yet (see README).`,
      `Press Ctrl+C to stop.`,
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close(() => {
      runtime.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ContentError) console.error(error.message);
  else console.error('Puente could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
