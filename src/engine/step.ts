// The conversation engine: a pure step function. Given a session, one inbound message, the catalog
// and the time, it returns the next session, the replies and the effects — it never does I/O.
import type { Catalog, Command } from '../content/catalog.js';
import type { FlowChoice, FlowNode, Next } from '../content/schema.js';
import { DANGER_SCAN_CHARS, LANGUAGES, MAX_TEXT_CHARS, type Inbound, type Language, type Reply } from '../model/message.js';
import { pickChoice, type OfferedChoice } from '../understand/choice.js';
import { matchCommand } from '../understand/commands.js';
import { understandIntent, type Intention } from '../understand/intent.js';
import { placeById } from '../understand/place-match.js';
import { runAction, type ActionInput } from './actions.js';
import { HISTORY_LIMIT, type Effect, type Session } from './session.js';
import { Turn } from './turn.js';

export interface StepResult {
  /** null when the person asked to delete their data: nothing must be kept. */
  session: Session | null;
  replies: Reply[];
  effects: Effect[];
}

export interface StepOptions {
  defaultLanguage?: Language;
  /** How many days of silence before a session is forgotten; the privacy text states it. */
  sessionDays?: number;
  /** Guards against a flow that never stops; the content check already rejects such loops. */
  maxSteps?: number;
}

type Waiting = Extract<FlowNode, { type: 'menu' | 'ask' }>;


export function step(previous: Session | undefined, inbound: Inbound, catalog: Catalog, now: Date, options: StepOptions = {}): StepResult {
  const fresh = !previous;
  const session = previous ? recover(previous, catalog) : newSession(catalog, now);
  session.updatedAt = now.getTime();
  const turn = new Turn(session, catalog, options.defaultLanguage ?? 'es', now, { days: options.sessionDays ?? 30 });
  const input: ActionInput & { choice?: string } = {
    text: inbound.text?.slice(0, MAX_TEXT_CHARS),
    choice: inbound.choice,
    location: inbound.location,
  };
  const engine = new Walker(turn, options.maxSteps ?? 50);

  // The whole message is searched for a cry for help, even past the part that is read.
  const typed = inbound.text?.slice(0, DANGER_SCAN_CHARS) ?? input.choice;
  const command = typed !== undefined ? matchCommand(typed, catalog) : undefined;
  const understood = input.text !== undefined ? understandIntent(input.text, catalog) : undefined;
  if (command?.match === 'contains' || understood?.intent === 'emergency') {
    engine.command(commandNamed('emergency', catalog), input); // danger wins over everything else
  } else if (fresh) {
    engine.goTo(catalog.entry, input);
  } else {
    engine.answer(input, command, understood);
  }

  return { session: turn.ended ? null : session, replies: turn.replies, effects: turn.effects };
}

function newSession(catalog: Catalog, now: Date): Session {
  return { v: 1, node: catalog.entry, profile: {}, history: [], updatedAt: now.getTime() };
}

/** A session saved before the flows changed may point at nodes that no longer exist. */
function recover(previous: Session, catalog: Catalog): Session {
  // A copy, so the caller's session is never changed: every nested part is copied too.
  const history: string[] = [];
  for (const id of previous.history) if (isWaiting(catalog.nodes.get(id))) history.push(id);
  const session: Session = { ...previous, profile: { ...previous.profile }, history };
  if (previous.finding) session.finding = { ...previous.finding };
  if (previous.candidates) session.candidates = [...previous.candidates];
  if (!isWaiting(catalog.nodes.get(session.node))) session.node = catalog.home;
  return session;
}

function isWaiting(node: FlowNode | undefined): node is Waiting {
  return node?.type === 'menu' || node?.type === 'ask';
}

class Walker {
  constructor(
    private readonly turn: Turn,
    private readonly maxSteps: number,
  ) {}

  private get catalog() {
    return this.turn.catalog;
  }

  /** The person answered the node they were at. */
  answer(input: ActionInput & { choice?: string }, command: Command | undefined, understood: Intention | undefined): void {
    const here = this.catalog.nodes.get(this.turn.session.node) as Waiting;
    if (here.type === 'menu') {
      const picked = pickChoice(input, this.offered(here));
      const choice = picked && here.choices.find((c) => c.id === picked.id);
      if (choice) return this.choose(choice, input);
      if (command) return this.command(command, input);
      if (input.choice && isCommandName(input.choice, this.catalog)) return this.command(commandNamed(input.choice, this.catalog), input);
      if (understood && this.follow(understood, input)) return;
      this.turn.say('errors.not_understood');
      return this.prompt(here);
    }
    if (command) return this.command(command, input);
    if (input.choice && isCommandName(input.choice, this.catalog)) return this.command(commandNamed(input.choice, this.catalog), input);
    const wantsLocation = here.expect !== 'text';
    const wantsText = here.expect !== 'location';
    // A tapped choice (one of the places offered) is an answer in words too.
    if ((input.location && wantsLocation) || ((input.text || input.choice) && wantsText)) {
      const outcome = runAction(this.turn, here.do, input);
      if (this.turn.ended) return;
      return this.goTo(follow(here.next, outcome), input);
    }
    this.turn.say(here.expect === 'location' ? 'errors.expected_location' : 'errors.expected_text');
    this.prompt(here);
  }

  /** Free text at a menu: go where the understood intent leads, if we are confident enough. */
  private follow({ intent, service }: Intention, input: ActionInput): boolean {
    const target = intent === 'unknown' ? undefined : this.catalog.intents[intent];
    if (!target) return false;
    if (service) this.turn.session.finding = { service };
    this.goTo(target, input);
    return true;
  }

  command(command: Command, input: ActionInput): void {
    if (command.name === 'back') {
      const previous = this.turn.session.history.pop();
      return this.goTo(previous ?? this.catalog.home, input, { remember: false });
    }
    this.goTo(command.node!, input);
  }

  private choose(choice: FlowChoice, input: ActionInput): void {
    if (!choice.next) return this.command(commandNamed(choice.id, this.catalog), input);
    const outcome = choice.do ? runAction(this.turn, choice.do, input) : undefined;
    if (this.turn.ended) return;
    this.goTo(follow(choice.next, outcome), input);
  }

  /** Walks say/action/goto nodes until one waits for the person, and shows that one. */
  goTo(start: string, input: ActionInput, { remember = true } = {}): void {
    let id = start;
    for (let steps = 0; steps < this.maxSteps; steps++) {
      const node = this.catalog.nodes.get(id);
      if (!node) throw new Error(`flow node "${id}" does not exist`);
      switch (node.type) {
        case 'say':
          this.turn.say(node.text, { allLanguages: node.all_languages && !this.turn.session.lang });
          id = follow(node.next, undefined);
          break;
        case 'action': {
          const outcome = runAction(this.turn, node.do, input);
          if (this.turn.ended || !node.next) return;
          id = follow(node.next, outcome);
          break;
        }
        case 'goto':
          id = node.next;
          break;
        default:
          this.arrive(id, remember);
          return this.prompt(node);
      }
    }
    throw new Error(`flow did not stop after ${this.maxSteps} steps starting at "${start}"`);
  }

  private arrive(id: string, remember: boolean): void {
    const session = this.turn.session;
    if (id === this.catalog.home) session.history = [];
    else if (remember && session.node !== id && isWaiting(this.catalog.nodes.get(session.node))) {
      session.history.push(session.node);
      if (session.history.length > HISTORY_LIMIT) session.history.shift();
    }
    session.node = id;
  }

  private prompt(node: Waiting): void {
    const allLanguages = node.all_languages && !this.turn.session.lang;
    const text = allLanguages ? this.turn.textInAll(node.text) : this.turn.text(node.text);
    if (node.type === 'ask') {
      const places = node.offer === 'places' ? (this.turn.session.candidates ?? []).map((id) => placeById(id, this.catalog.places)) : [];
      const choices = places.filter((p) => p !== undefined).map((p) => ({ id: p.id, label: p.label }));
      return void this.turn.replies.push(choices.length ? { text, choices } : { text });
    }
    this.turn.replies.push(this.menuReply(node, text));
  }

  /**
   * A menu shows the same reply every time for the same language and text: made once per catalog
   * and frozen, so that it is never changed and whoever sends it may keep what it made of it.
   */
  private menuReply(node: Extract<FlowNode, { type: 'menu' }>, text: string): Reply {
    let byNode = menuReplies.get(this.catalog);
    if (!byNode) menuReplies.set(this.catalog, (byNode = new WeakMap()));
    let byText = byNode.get(node);
    if (!byText) byNode.set(node, (byText = new Map()));
    const key = `${this.turn.lang}\n${text}`;
    let reply = byText.get(key);
    if (!reply) {
      const choices = node.choices.map((c) => Object.freeze({ id: c.id, label: this.turn.text(c.label) }));
      byText.set(key, (reply = Object.freeze({ text, choices: Object.freeze(choices) as Reply['choices'] })));
    }
    return reply;
  }

  private offered(node: Extract<FlowNode, { type: 'menu' }>): OfferedChoice[] {
    // The labels of a menu in every language are the same for every turn: computed once per catalog.
    let byNode = offeredCache.get(this.catalog);
    if (!byNode) offeredCache.set(this.catalog, (byNode = new WeakMap()));
    let offered = byNode.get(node);
    if (!offered) {
      offered = node.choices.map((c) => ({ id: c.id, labels: LANGUAGES.map((lang) => this.catalog.text(lang, c.label)) }));
      byNode.set(node, offered);
    }
    return offered;
  }
}

const offeredCache = new WeakMap<Catalog, WeakMap<FlowNode, OfferedChoice[]>>();
const menuReplies = new WeakMap<Catalog, WeakMap<FlowNode, Map<string, Reply>>>();

function follow(next: Next, outcome: string | undefined): string {
  if (typeof next === 'string') return next;
  const target = outcome !== undefined ? next[outcome] : undefined;
  if (!target) throw new Error(`no next node for outcome "${outcome}"`);
  return target;
}

function isCommandName(name: string, catalog: Catalog): boolean {
  return catalog.commands.some((c) => c.name === name);
}

function commandNamed(name: string, catalog: Catalog): Command {
  const command = catalog.commands.find((c) => c.name === name);
  if (!command) throw new Error(`global command "${name}" is not defined`);
  return command;
}
