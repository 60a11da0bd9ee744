// The named actions a flow can run. Each one changes the turn's session or adds replies and
// returns an outcome when the flow may branch on it (see ACTION_OUTCOMES in the content schema).
import type { Action } from '../content/schema.js';
import { LANGUAGES, type Location } from '../model/message.js';
import { centerCard, topicText } from './cards.js';
import { chooseServiceFromText, findCenters } from './finder.js';
import { detectLanguage } from '../understand/language.js';
import type { Turn } from './turn.js';

export interface ActionInput {
  text?: string;
  choice?: string;
  location?: Location;
}

type Runner<A extends Action> = (turn: Turn, action: A, input: ActionInput) => string | undefined;
type Registry = { [K in Action['action']]: Runner<Extract<Action, { action: K }>> };

const actions: Registry = {
  set_language(turn, action) {
    turn.session.lang = action.value;
    return undefined;
  },

  detect_language(turn, _action, input) {
    // A language the person chose or we already guessed is kept: one English word is no reason to switch.
    if (turn.session.lang) return 'detected';
    const lang = input.text ? detectLanguage(input.text, turn.catalog.languageMarkers) : undefined;
    if (!lang) return 'unknown';
    turn.session.lang = lang;
    return 'detected';
  },

  set_profile(turn, action) {
    if (action.group) turn.session.profile.group = action.group;
    if (action.age) turn.session.profile.age = action.age;
    return undefined;
  },

  show_topic(turn, action) {
    const topic = turn.catalog.topics.get(action.topic)!;
    // A person who has not chosen a language yet (say, their first message is a cry for help)
    // gets the topic in every language: they must understand it the first time.
    const languages = turn.session.lang ? [turn.lang] : LANGUAGES;
    turn.replies.push({ text: languages.map((lang) => topicText(turn, topic, action.section, lang)).join('\n\n') });
    return undefined;
  },

  show_centers(turn, action) {
    for (const center of turn.catalog.centers) {
      if (center.kind === action.kind && center.status === 'open') turn.replies.push(centerCard(turn, center));
    }
    return undefined;
  },

  choose_service(turn, action) {
    turn.session.finding = { service: action.service };
    return undefined;
  },

  choose_service_from_text(turn, _action, input) {
    return chooseServiceFromText(turn, input.text);
  },

  find_centers(turn, action, input) {
    return findCenters(turn, action, input);
  },

  delete_data(turn, action) {
    turn.say(action.say ?? 'privacy.deleted');
    turn.endConversation();
    return undefined;
  },
};

export function runAction(turn: Turn, action: Action, input: ActionInput): string | undefined {
  return (actions[action.action] as Runner<Action>)(turn, action, input);
}
