// Starts Puente: loads configuration and content, opens the session store, serves HTTP.
import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/problems.js';
import { createLogger } from './log.js';
import { createRuntime } from './runtime.js';
import { createServer } from './server/app.js';
import { enabledChannels } from '../adapters/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config, log);
  const { channels, report } = enabledChannels(config, { bot: runtime.bot, log });
  const http = createServer({
    bot: runtime.bot,
    catalog: runtime.catalog,
    log,
    ready: () => runtime.store.ready(),
    admin: config.ADMIN_TOKEN ? { content: runtime.content, token: config.ADMIN_TOKEN } : undefined,
    webhooks: channels.flatMap((c) => (c.router ? [c.router] : [])),
  });
  if (config.CONTENT_WATCH) runtime.content.watch();
  const server: Server = await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, () => resolve(http));
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
      `  Channels:  web chat on`,
      ...report.map((line) => `             ${line}`),
      `Press Ctrl+C to stop.`,
    ].join('\n'),
  );

  // A channel that cannot start (a refused token, no network) is reported; the others keep working.
  for (const channel of channels) {
    channel.start().catch((error: unknown) => log.error({ channel: channel.name, err: { message: (error as Error).message } }, 'channel could not start'));
  }
  // Libraries with their own async handlers must never take the process down.
  process.on('unhandledRejection', (reason) => log.error({ err: { message: String((reason as Error)?.message ?? reason) } }, 'unhandled rejection'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close(() => {
      Promise.allSettled(channels.map((c) => c.stop()))
        .then(() => runtime.close())
        .then(
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
