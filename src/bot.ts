// The one place a message is handled, whatever channel it came from: lock the person, drop a
// duplicate delivery, load the session, step the engine, save or delete, return the replies.
import type { Catalog } from './content/catalog.js';
import { step } from './engine/step.js';
import type { Logger } from './log.js';
import type { Inbound, Language, Reply } from './model/message.js';
import { userKey } from './privacy.js';
import { KeyedLock } from './store/keyed-lock.js';
import type { SessionStore } from './store/session-store.js';

export interface BotOptions {
  store: SessionStore;
  /** A getter, so a content reload swaps the catalog for the next message. */
  catalog: () => Catalog;
  log: Logger;
  userIdSecret: string;
  sessionDays: number;
  defaultLanguage: Language;
  now?: () => Date;
}

export interface Bot {
  handle(inbound: Inbound): Promise<Reply[]>;
}

export function createBot(options: BotOptions): Bot {
  const { store, log } = options;
  const now = options.now ?? (() => new Date());
  const locks = new KeyedLock();

  return {
    handle(inbound) {
      const user = userKey(options.userIdSecret, inbound.channel, inbound.user);
      return locks.run(user, async () => {
        const catalog = options.catalog();
        let lang = options.defaultLanguage;
        try {
          if (inbound.messageId && !(await store.markSeen(user, inbound.messageId))) {
            log.info({ user, channel: inbound.channel }, 'duplicate message ignored');
            return [];
          }
          const previous = await store.get(user);
          lang = previous?.lang ?? lang;
          const result = step(previous, inbound, catalog, now(), {
            defaultLanguage: options.defaultLanguage,
            sessionDays: options.sessionDays,
          });
          if (result.session) await store.set(user, result.session);
          if (result.effects.some((e) => e.type === 'delete_user')) {
            await store.delete(user);
            log.info({ user, channel: inbound.channel }, 'person deleted their data');
          }
          log.debug({ user, channel: inbound.channel, node: result.session?.node, replies: result.replies.length }, 'turn');
          return result.replies;
        } catch (error) {
          log.error({ user, channel: inbound.channel, err: error }, 'turn failed');
          return [{ text: catalog.text(lang, 'errors.internal') }];
        }
      });
    },
  };
}

