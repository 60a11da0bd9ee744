// What every channel adapter is. An adapter only translates: platform events become an Inbound for
// bot.handle, and the Replies it returns become platform messages. It never decides what to say.
import type { Router } from 'express';
import type { Bot } from '../src/bot.js';
import type { Logger } from '../src/log.js';

export interface Channel {
  /** "telegram", "botframework", "whatsapp-web", "whatsapp-cloud". */
  name: string;
  /** Webhook routes the HTTP server mounts, when the channel receives over HTTP. */
  router?: Router;
  /** Starts receiving (polling, a browser session…); resolves once running. */
  start(): Promise<void>;
  /** Stops receiving and finishes what is in flight. */
  stop(): Promise<void>;
}

export interface ChannelDeps {
  bot: Bot;
  log: Logger;
}
