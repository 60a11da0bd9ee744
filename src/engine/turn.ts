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
    readonly now: Date,
    /** Values every text may use, like {{days}} (how long data is kept). */
    private readonly values: Record<string, string | number>,
  ) {}

  get lang(): Language {
    return this.session.lang ?? this.defaultLanguage;
  }

  text(key: string, values?: Record<string, string>): string {
    return this.textIn(this.lang, key, values);
  }

  textIn(lang: Language, key: string, values?: Record<string, string>): string {
    return this.catalog.text(lang, key, values, this.values);
  }

  /** The same text in every language, for someone who has not chosen one yet. */
  textInAll(key: string): string {
    return LANGUAGES.map((lang) => this.textIn(lang, key)).join('\n\n');
  }

  say(key: string, options: { allLanguages?: boolean } = {}): void {
    this.replies.push({ text: options.allLanguages ? this.textInAll(key) : this.text(key) });
  }

  endConversation(): void {
    this.ended = true;
    this.effects.push({ type: 'delete_user' });
  }
}
