// Microsoft Bot Framework channel: POST /api/messages, through botbuilder's CloudAdapter. Azure Bot
// Service relays Web Chat, Teams, Messenger, SMS… to this one endpoint; the Bot Framework Emulator
// talks to it directly.
//
// With MicrosoftAppId set, botbuilder validates every request's JWT (a request without an
// Authorization header is refused here first, with 401, before any network call) and signs the
// replies. Without it, requests are accepted unauthenticated, as the Emulator does locally, and
// then only from a local serviceUrl: the bot posts its replies to the serviceUrl a request names,
// so an open endpoint must not let anyone point it at another host.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions, type TurnContext } from 'botbuilder';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Channel, ChannelDeps } from '../channel.js';
import { CHANNEL, parseActivity } from './parse.js';
import { renderReply } from './render.js';

export interface BotFrameworkOptions {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
}

export const MESSAGES_PATH = '/api/messages';

/** What every Bot Framework activity carries; anything less is not from a channel. */
const Envelope = z.object({
  type: z.string().min(1),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.object({ id: z.string().min(1) }),
});

export function createBotFrameworkChannel(options: BotFrameworkOptions, deps: ChannelDeps): Channel {
  const { bot, log } = deps;
  const authenticated = checkOptions(options);

  const settings: ConfigurationBotFrameworkAuthenticationOptions = {};
  if (options.appId) settings.MicrosoftAppId = options.appId;
  if (options.appPassword) settings.MicrosoftAppPassword = options.appPassword;
  if (options.tenantId) settings.MicrosoftAppTenantId = options.tenantId;
  if (options.appType) settings.MicrosoftAppType = options.appType;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));

  // Whatever escapes a turn: log it without its message (it may quote the request) and let the
  // request end normally, so the channel does not redeliver a message the bot has already seen.
  adapter.onTurnError = async (context, error) => {
    log.error({ channel: CHANNEL, activity: context.activity.type, err: describeError(error) }, 'botframework turn failed');
  };

  const turn = async (context: TurnContext): Promise<void> => {
    const inbounds = parseActivity(context.activity, Date.now());
    for (const inbound of inbounds) {
      const replies = await bot.handle(inbound);
      if (!replies.length) continue;
      try {
        await context.sendActivities(replies.map((reply) => renderReply(reply, context.activity.channelId)));
      } catch (error) {
        log.error({ channel: CHANNEL, replies: replies.length, err: describeError(error) }, 'botframework sending replies failed');
      }
    }
  };

  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  const handle = async (req: Request, res: Response): Promise<void> => {
    if (stopped) return void res.status(503).json({ error: 'stopping' });
    if (authenticated && !headerOf(req, 'authorization')) return void res.status(401).json({ error: 'unauthorized' });
    const envelope = Envelope.safeParse(req.body);
    if (!envelope.success) return void res.status(400).json({ error: 'not a Bot Framework activity' });
    if (!authenticated && !isLocal(envelope.data.serviceUrl)) {
      log.warn({ channel: CHANNEL }, 'botframework: unauthenticated request for a non-local serviceUrl refused (set MicrosoftAppId)');
      return void res.status(403).json({ error: 'without MicrosoftAppId only a local Bot Framework Emulator is answered' });
    }
    const work = adapter.process(req, res, turn);
    inFlight.add(work);
    try {
      await work;
    } catch (error) {
      log.error({ channel: CHANNEL, err: describeError(error) }, 'botframework request failed');
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    } finally {
      inFlight.delete(work);
    }
  };

  const onBodyError: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
    if (error.type === 'entity.parse.failed') return void res.status(400).json({ error: 'request body is not valid JSON' });
    if (error.type === 'entity.too.large') return void res.status(413).json({ error: 'request body too large' });
    if (error.status && error.status >= 400 && error.status < 500) return void res.status(error.status).json({ error: 'bad request' });
    next(error);
  };

  const router = express.Router();
  router.post(MESSAGES_PATH, express.json({ limit: '512kb' }), handle);
  router.use(MESSAGES_PATH, onBodyError);

  return {
    name: CHANNEL,
    router,
    async start() {
      stopped = false;
      if (!authenticated) {
        log.warn({ channel: CHANNEL }, 'botframework: no MicrosoftAppId, so requests are not authenticated; only a local Bot Framework Emulator is answered');
      }
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Refuses half-configured credentials, which would otherwise quietly disable or break auth. True when authenticated. */
function checkOptions(options: BotFrameworkOptions): boolean {
  const { appId, appPassword, tenantId, appType = 'MultiTenant' } = options;
  if (!appId) {
    if (appPassword || tenantId || options.appType) {
      throw new Error('botframework: MicrosoftAppPassword, MicrosoftAppTenantId or MicrosoftAppType is set but MicrosoftAppId is not');
    }
    return false;
  }
  if (appType === 'UserAssignedMSI') {
    if (appPassword) throw new Error('botframework: MicrosoftAppPassword must not be set with MicrosoftAppType=UserAssignedMSI');
  } else if (!appPassword) {
    throw new Error(`botframework: MicrosoftAppPassword is required with MicrosoftAppType=${appType}`);
  }
  if (appType !== 'MultiTenant' && !tenantId) {
    throw new Error(`botframework: MicrosoftAppTenantId is required with MicrosoftAppType=${appType}`);
  }
  return true;
}

function headerOf(req: Request, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
}

function isLocal(serviceUrl: string): boolean {
  const host = new URL(serviceUrl).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** An error as it may be logged: its kind and status, never its message (which can quote a request or a reply). */
export function describeError(error: unknown): { name: string; code?: string; status?: number } {
  if (!(error instanceof Error)) return { name: typeof error };
  const fields = z
    .object({ code: z.union([z.string(), z.number()]).optional(), statusCode: z.number().optional() })
    .safeParse({ code: Reflect.get(error, 'code'), statusCode: Reflect.get(error, 'statusCode') });
  const described: { name: string; code?: string; status?: number } = { name: error.name };
  if (fields.success && fields.data.code !== undefined) described.code = String(fields.data.code);
  if (fields.success && fields.data.statusCode !== undefined) described.status = fields.data.statusCode;
  return described;
}
