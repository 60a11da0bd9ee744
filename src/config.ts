// All configuration, read once from the environment and validated; nothing else reads process.env.
import { z } from 'zod';
import { projectRoot } from './paths.js';

const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const Schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONTENT_DIR: z.string().min(1).default(projectRoot),
  REDIS_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  ),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only').default('puente'),
  SESSION_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
  USER_ID_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  DEFAULT_LANGUAGE: z.enum(['es', 'pt', 'ht', 'en']).default('es'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_GLOBAL_PER_SECOND: z.coerce.number().int().positive().default(300),
  ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  // Channels (adapters/): each is on when its variables are set.
  PUBLIC_URL: optionalText.pipe(z.string().url('must be a URL like https://puente.example.org').optional()),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: optionalText.pipe(z.string().url().optional()),
  TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'letters, digits, _ and - only (Telegram\'s rule)').optional()),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppTenantId: optionalText,
  MicrosoftAppType: optionalText.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  BOTFRAMEWORK: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['on', 'off']).default('on')),
  WHATSAPP_WEB: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['0', '1']).default('0')),
  WHATSAPP_WEB_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  WHATSAPP_WEB_DATA_DIR: z.string().min(1).default('.data/whatsapp-web'),
  WHATSAPP_WEB_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).default(3000),
  WHATSAPP_WEB_GLOBAL_INTERVAL_MS: z.coerce.number().int().min(0).default(500),
  WHATSAPP_CLOUD_TOKEN: optionalText,
  WHATSAPP_PHONE_NUMBER_ID: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_GRAPH_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
  CONTENT_WATCH: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false']).default('true')).transform((v) => v === 'true'),
});

export type Config = Omit<z.infer<typeof Schema>, 'USER_ID_SECRET'> & {
  USER_ID_SECRET: string;
  /** True when no secret was given and a development one is used; start-up warns about it. */
  userIdSecretIsDefault: boolean;
};

export class ConfigError extends Error {}

// Only for a local try-out; the start-up warning says to set USER_ID_SECRET in production.
const DEVELOPMENT_SECRET = 'puente-development-only-secret';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { USER_ID_SECRET, ...rest } = parsed.data;
  return { ...rest, USER_ID_SECRET: USER_ID_SECRET ?? DEVELOPMENT_SECRET, userIdSecretIsDefault: !USER_ID_SECRET };
}
