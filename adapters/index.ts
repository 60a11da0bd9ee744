// Which channels run, from configuration alone. Each is created only when its settings are there,
// so a deployment without WhatsApp Web never loads a browser library.
import type { Config } from '../src/config.js';
import { createBotFrameworkChannel } from './botframework/index.js';
import type { Channel, ChannelDeps } from './channel.js';
import { createTelegramChannel } from './telegram/index.js';
import { createWhatsAppCloudChannel } from './whatsapp-cloud/index.js';
import { createWhatsAppWebChannel } from './whatsapp-web/index.js';

export interface ChannelSetup {
  channels: Channel[];
  /** One line per channel for the start-up message: on, or how to turn it on. */
  report: string[];
}

export function enabledChannels(config: Config, deps: ChannelDeps): ChannelSetup {
  const channels: Channel[] = [];
  const report: string[] = [];

  if (config.TELEGRAM_BOT_TOKEN) {
    if (config.PUBLIC_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
      throw new Error('TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL is set: Telegram webhooks are only accepted with a secret');
    }
    channels.push(
      createTelegramChannel(
        { token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, publicUrl: config.PUBLIC_URL, webhookSecret: config.TELEGRAM_WEBHOOK_SECRET },
        deps,
      ),
    );
    report.push(`Telegram: on (${config.PUBLIC_URL ? 'webhook at /webhooks/telegram' : 'long polling'})`);
  } else report.push('Telegram: off (set TELEGRAM_BOT_TOKEN)');

  if (config.BOTFRAMEWORK === 'on') {
    channels.push(
      createBotFrameworkChannel(
        { appId: config.MicrosoftAppId, appPassword: config.MicrosoftAppPassword, tenantId: config.MicrosoftAppTenantId, appType: config.MicrosoftAppType },
        deps,
      ),
    );
    report.push(`Bot Framework: on at POST /api/messages (${config.MicrosoftAppId ? 'Azure credentials' : 'no credentials: Bot Framework Emulator only'})`);
  } else report.push('Bot Framework: off (BOTFRAMEWORK=off)');

  const cloud = [config.WHATSAPP_CLOUD_TOKEN, config.WHATSAPP_PHONE_NUMBER_ID, config.WHATSAPP_VERIFY_TOKEN, config.WHATSAPP_APP_SECRET];
  if (cloud.every(Boolean)) {
    channels.push(
      createWhatsAppCloudChannel(
        { token: config.WHATSAPP_CLOUD_TOKEN!, phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID!, verifyToken: config.WHATSAPP_VERIFY_TOKEN!, appSecret: config.WHATSAPP_APP_SECRET!, graphUrl: config.WHATSAPP_GRAPH_URL },
        deps,
      ),
    );
    report.push('WhatsApp Cloud API: on, webhook at /webhooks/whatsapp');
  } else if (cloud.some(Boolean)) {
    throw new Error('WhatsApp Cloud API needs all of WHATSAPP_CLOUD_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_VERIFY_TOKEN and WHATSAPP_APP_SECRET');
  } else report.push('WhatsApp Cloud API: off (set WHATSAPP_CLOUD_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET)');

  if (config.WHATSAPP_WEB === '1') {
    channels.push(
      createWhatsAppWebChannel(
        { chromiumPath: config.WHATSAPP_WEB_CHROMIUM_PATH, dataDir: config.WHATSAPP_WEB_DATA_DIR, chatIntervalMs: config.WHATSAPP_WEB_CHAT_INTERVAL_MS, globalIntervalMs: config.WHATSAPP_WEB_GLOBAL_INTERVAL_MS, adminToken: config.ADMIN_TOKEN },
        deps,
      ),
    );
    report.push(`WhatsApp Web: on (scan the QR in this terminal${config.ADMIN_TOKEN ? ' or at /admin/whatsapp-web' : ''})`);
  } else report.push('WhatsApp Web: off (set WHATSAPP_WEB=1; needs Debian\'s chromium)');

  return { channels, report };
}
