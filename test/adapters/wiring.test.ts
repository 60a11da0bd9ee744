// Which channels run is decided by configuration alone, and their webhooks are served by the app.
import type { AddressInfo } from 'node:net';
import { enabledChannels } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createServer } from '../../src/server/app.js';
import { catalog, testBot } from '../helpers/bot.js';

const deps = () => ({ bot: testBot().bot, log: createLogger('silent') });
const cloud = { WHATSAPP_CLOUD_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '123', WHATSAPP_VERIFY_TOKEN: 'verify-me', WHATSAPP_APP_SECRET: 's' };

test('with no settings only the Bot Framework endpoint (Emulator) is on, and the start-up report says how to turn on the rest', () => {
  const { channels, report } = enabledChannels(loadConfig({}), deps());
  expect(channels.map((c) => c.name)).toEqual(['botframework']);
  expect(report.join('\n')).toMatch(/Telegram: off \(set TELEGRAM_BOT_TOKEN\)/);
  expect(report.join('\n')).toMatch(/WhatsApp Web: off \(set WHATSAPP_WEB=1/);
});

test('every channel is turned on by its variables', () => {
  const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', ...cloud, WHATSAPP_WEB: '1', BOTFRAMEWORK: 'off' });
  expect(enabledChannels(config, deps()).channels.map((c) => c.name).sort()).toEqual(['telegram', 'whatsapp-cloud', 'whatsapp-web']);
});

test('half a configuration stops start-up with a message naming what is missing', () => {
  expect(() => enabledChannels(loadConfig({ WHATSAPP_CLOUD_TOKEN: 't' }), deps())).toThrow(/WHATSAPP_PHONE_NUMBER_ID/);
  expect(() => enabledChannels(loadConfig({ TELEGRAM_BOT_TOKEN: '1:a', PUBLIC_URL: 'https://puente.example.org' }), deps())).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
});

test('the app serves the channels\' webhooks', async () => {
  const { channels } = enabledChannels(loadConfig({ ...cloud, BOTFRAMEWORK: 'off' }), deps());
  const app = createServer({ bot: testBot().bot, catalog: () => catalog, log: createLogger('silent'), ready: () => true, webhooks: channels.flatMap((c) => (c.router ? [c.router] : [])) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const verified = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=4242`);
  expect(await verified.text()).toBe('4242');
  const forged = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(forged.status).toBe(401);
  await Promise.all(channels.map((c) => c.stop()));
  await new Promise((resolve) => server.close(resolve));
});
