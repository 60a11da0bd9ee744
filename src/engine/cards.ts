// How topics and centers read in a chat: plain text that works on every channel, in the
// person's language, always saying how fresh the information is.
import { DAYS } from '../content/center-kinds.js';
import type { CenterFile, TopicFile } from '../content/facts-schema.js';
import type { Language, Reply } from '../model/message.js';
import type { Turn } from './turn.js';

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Review dates are few (one per center or topic), and Intl formatting is slow: each is formatted once. */
const formatted = new Map<string, string>();
const DATE_LOCALES: Record<Language, string | undefined> = { es: 'es-HN', pt: 'pt-BR', en: 'en-US', ht: undefined };

/** "4 de diciembre de 2026"; numeric where the platform has no month names for the language. */
export function formatDate(isoDate: string, lang: Language): string {
  const id = `${lang} ${isoDate}`;
  let text = formatted.get(id);
  if (text === undefined) {
    if (formatted.size > 10_000) formatted.clear();
    formatted.set(id, (text = formatUncached(isoDate, lang)));
  }
  return text;
}

function formatUncached(isoDate: string, lang: Language): string {
  const [year, month, day] = isoDate.split('-');
  const locale = DATE_LOCALES[lang];
  if (!locale) return `${day}/${month}/${year}`;
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })));
  return format.format(new Date(`${isoDate}T12:00:00Z`));
}

export function topicText(turn: Turn, topic: TopicFile, sectionId: string | undefined, lang: Language): string {
  const t = (key: string, values?: Record<string, string>) => turn.textIn(lang, key, values);
  const sections = sectionId ? topic.sections.filter((s) => s.id === sectionId) : topic.sections;
  const body = sectionId ? t(sections[0]!.text) : `${t(topic.title)}\n${sections.map((s) => `• ${t(s.text)}`).join('\n')}`;
  if (!topic.show_last_checked) return body;
  return `${body}\n\n${t('topics.last_checked', { date: formatDate(topic.reviewed.on, lang) })}`;
}

export function centerCard(turn: Turn, center: CenterFile): Reply {
  const t = (key: string, values?: Record<string, string>) => turn.text(key, values);
  const lines = [center.name, center.texts.about ? t(center.texts.about) : t(`centers.kinds.${center.kind}`)];

  const who = center.serves.groups.map((g) => t(`centers.groups.${g}`)).join(', ');
  lines.push([t('centers.card.serves', { who }), center.texts.serves_note && t(center.texts.serves_note)].filter(Boolean).join(' '));
  if (!center.direct_care) lines.push(t('centers.card.no_direct_care'));
  if (center.services.length) {
    lines.push(t('centers.card.services', { list: center.services.map((s) => t(`services.${s}.name`)).join(', ') }));
  }

  const hours = center.hours;
  let hoursLine: string;
  if (hours === 'unknown') hoursLine = t('centers.card.hours_unknown');
  else {
    const days = DAYS.filter((d) => hours.days.includes(d)).map((d) => t(`centers.days.${d}`)).join(', ');
    hoursLine =
      hours.times === 'unknown'
        ? t('centers.card.hours_days', { days })
        : t('centers.card.hours_times', { days, times: hours.times.map((r) => `${r.open}–${r.close}`).join(', ') });
  }
  lines.push([hoursLine, center.texts.hours_note && t(center.texts.hours_note)].filter(Boolean).join(' '));

  if (center.address) lines.push(t('centers.card.address', { address: center.address }));
  if (center.contact) lines.push(center.contact);
  lines.push(t('centers.card.last_checked', { date: formatDate(center.reviewed.on, turn.lang) }));

  const reply: Reply = { text: lines.join('\n') };
  if (center.location) {
    const { lat, lon } = center.location;
    reply.location = { lat, lon, name: center.name };
    reply.link = { url: `https://www.google.com/maps/search/?api=1&query=${lat},${lon}`, label: t('centers.card.map') };
  }
  return reply;
}
