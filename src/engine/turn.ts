// The working state of one turn: the session being changed, the replies and effects so far.
import type { Catalog } from '../content/catalog.js';
import { LANGUAGES, type Language, type Reply } from '../model/message.js';
import type { Effect, Session } from './session.js';

export class Turn {
  readonly replies: Reply[] = [];
  readonly effects: Effect[] = [];
  ended = false;

  constructor(
    readonly session: Session,
    readonly catalog: Catalog,
    readonly defaultLanguage: Language,
    /** Values every text may use, like {{days}} (how long data is kept). */
    private readonly values: Record<string, string | number>,
  ) {}

  get lang(): Language {
    return this.session.lang ?? this.defaultLanguage;
  }

  text(key: string, options: { allLanguages?: boolean } = {}): string {
    if (options.allLanguages) return LANGUAGES.map((lang) => this.catalog.text(lang, key, this.values)).join('\n\n');
    return this.catalog.text(this.lang, key, this.values);
  }

  say(key: string, options: { allLanguages?: boolean } = {}): void {
    this.replies.push({ text: this.text(key, options) });
  }

  endConversation(): void {
    this.ended = true;
    this.effects.push({ type: 'delete_user' });
  }
}
