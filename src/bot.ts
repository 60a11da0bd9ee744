// The one place a message is handled, whatever channel it came from: a turn of the person in the
// store (which locks them, drops a duplicate delivery, loads and keeps the session) around one
// step of the engine, and the replies.
// When the session store is unreachable it still answers what needs no memory (emergency help,
// the main menu), says so, and never claims to have deleted what it could not.
import type { Catalog } from './content/catalog.js';
import type { Session } from './engine/session.js';
import { step } from './engine/step.js';
import type { Logger } from './log.js';
import { DANGER_SCAN_CHARS, type Inbound, type Language, type Reply } from './model/message.js';
import { userKey } from './privacy.js';
import type { RateLimits } from './store/rate-limits.js';
import type { SessionStore } from './store/session-store.js';
import { matchCommand } from './understand/commands.js';
import { detectLanguage } from './understand/language.js';

export interface BotOptions {
  store: SessionStore;
  /** A getter, so a content reload swaps the catalog for the next message. */
  catalog: () => Catalog;
  log: Logger;
  userIdSecret: string;
  sessionDays: number;
  defaultLanguage: Language;
  /** Message limits; none in tests and tools that drive the bot directly. */
  limits?: RateLimits;
  now?: () => Date;
}

export interface Bot {
  handle(inbound: Inbound): Promise<Reply[]>;
}

export function createBot(options: BotOptions): Bot {
  const { store, log } = options;
  const now = options.now ?? (() => new Date());
  const stepOptions = { defaultLanguage: options.defaultLanguage, sessionDays: options.sessionDays };

  async function turn(user: string, inbound: Inbound): Promise<Reply[]> {
    const catalog = options.catalog();
    const done = await store.turn(user, inbound.messageId, (saved) => {
      const result = step(saved, inbound, catalog, now(), stepOptions);
      return { next: result.session, value: result };
    });
    if (!done) {
      log.info({ user, channel: inbound.channel }, 'duplicate message ignored');
      return [];
    }
    const result = done.value;
    if (result.effects.some((e) => e.type === 'delete_user')) {
      await options.limits?.forget(user);
      log.info({ user, channel: inbound.channel }, 'person deleted their data');
    }
    if (log.isLevelEnabled('debug')) log.debug({ user, channel: inbound.channel, node: result.session?.node, replies: result.replies.length }, 'turn');
    return result.replies;
  }

  /** The answer without a memory: as if the person were at the main menu, and nothing is kept. */
  function withoutMemory(inbound: Inbound): Reply[] {
    const catalog = options.catalog();
    const lang = (inbound.text && detectLanguage(inbound.text, catalog.languageMarkers)) || options.defaultLanguage;
    const atHome: Session = { v: 1, node: catalog.home, lang, profile: {}, history: [], updatedAt: now().getTime() };
    const result = step(atHome, inbound, catalog, now(), stepOptions);
    if (result.effects.some((e) => e.type === 'delete_user')) return [{ text: catalog.text(lang, 'errors.delete_unavailable') }];
    return [{ text: catalog.text(lang, 'errors.no_memory') }, ...result.replies];
  }

  return {
    async handle(inbound) {
      const user = userKey(options.userIdSecret, inbound.channel, inbound.user);
      // A cry for help is never rate limited.
      const isDanger = () => inbound.text !== undefined && matchCommand(inbound.text.slice(0, DANGER_SCAN_CHARS), options.catalog())?.name === 'emergency';
      const verdict = options.limits && !isDanger() ? await options.limits.check(user) : 'ok';
      if (verdict !== 'ok') {
        log.info({ user, channel: inbound.channel, verdict }, 'rate limited');
        if (verdict === 'quiet') return [];
        const catalog = options.catalog();
        const lang = (inbound.text && detectLanguage(inbound.text, catalog.languageMarkers)) || options.defaultLanguage;
        return [{ text: catalog.text(lang, 'errors.slow_down') }];
      }
      try {
        return await turn(user, inbound);
      } catch (error) {
        log.error({ user, channel: inbound.channel, err: { message: (error as Error).message } }, 'turn failed; answering without memory');
        try {
          return withoutMemory(inbound);
        } catch (fallbackError) {
          log.error({ err: { message: (fallbackError as Error).message } }, 'answer without memory failed');
          return [{ text: options.catalog().text(options.defaultLanguage, 'errors.internal') }];
        }
      }
    },
  };
}
