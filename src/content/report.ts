// The translation and freshness report staff read: per language how many texts are reviewed,
// draft, stale or missing, and which facts are due for a new check. Markdown and HTML.
import { LANGUAGES, type Language } from '../model/message.js';
import type { Catalog } from './catalog.js';
import type { Review } from './facts-schema.js';
import type { TranslationState } from './translations.js';

export interface ContentReport {
  languages: { lang: Language; total: number; counts: Record<TranslationState, number>; stale: string[] }[];
  reviewsDue: { item: string; due: string }[];
  generatedOn: string;
}

const STATES: TranslationState[] = ['reviewed', 'draft', 'stale', 'missing'];

export function contentReport(catalog: Catalog, today: string): ContentReport {
  const languages = LANGUAGES.filter((lang) => lang !== 'es').map((lang) => {
    const states = Object.entries(catalog.translations[lang] ?? {});
    const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<TranslationState, number>;
    for (const [, state] of states) counts[state]++;
    return { lang, total: states.length, counts, stale: states.filter(([, s]) => s === 'stale' || s === 'missing').map(([k]) => k) };
  });
  const reviews: [string, Review][] = [
    ...Object.entries(catalog.services).map(([id, s]): [string, Review] => [`service ${id}`, s.reviewed]),
    ...catalog.centers.map((c): [string, Review] => [`center ${c.id}`, c.reviewed]),
    ...[...catalog.topics.values()].map((t): [string, Review] => [`topic ${t.id}`, t.reviewed]),
  ];
  const reviewsDue = reviews.filter(([, r]) => r.next <= today).map(([item, r]) => ({ item, due: r.next }));
  return { languages, reviewsDue, generatedOn: today };
}

export function reportMarkdown(report: ContentReport): string {
  const rows = report.languages.map((l) => `| ${l.lang} | ${l.total} | ${STATES.map((s) => l.counts[s]).join(' | ')} |`);
  const lines = [
    `# Puente content report (${report.generatedOn})`,
    '',
    '## Translations (source: Spanish)',
    '',
    '| language | texts | reviewed | draft | stale | missing |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Draft: translated but not yet checked by a native speaker. Stale: the Spanish text changed after the translation was made.',
  ];
  for (const l of report.languages.filter((l) => l.stale.length)) {
    lines.push('', `### ${l.lang}: stale or missing`, '', ...l.stale.map((k) => `- ${k}`));
  }
  lines.push('', '## Facts due for review', '');
  lines.push(...(report.reviewsDue.length ? report.reviewsDue.map((r) => `- ${r.item} (due ${r.due})`) : ['None: every service, center and topic was checked on time.']));
  return `${lines.join('\n')}\n`;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function reportHtml(report: ContentReport): string {
  const rows = report.languages
    .map((l) => `<tr><th scope="row">${l.lang}</th><td>${l.total}</td>${STATES.map((s) => `<td>${l.counts[s]}</td>`).join('')}</tr>`)
    .join('');
  const stale = report.languages
    .filter((l) => l.stale.length)
    .map((l) => `<h3>${l.lang}: stale or missing</h3><ul>${l.stale.map((k) => `<li><code>${escape(k)}</code></li>`).join('')}</ul>`)
    .join('');
  const due = report.reviewsDue.length
    ? `<ul>${report.reviewsDue.map((r) => `<li>${escape(r.item)} (due ${r.due})</li>`).join('')}</ul>`
    : '<p>None: every service, center and topic was checked on time.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Puente content report</title></head><body>
<h1>Puente content report (${report.generatedOn})</h1>
<h2>Translations (source: Spanish)</h2>
<table><thead><tr><th>language</th><th>texts</th>${STATES.map((s) => `<th>${s}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<p>Draft: translated but not yet checked by a native speaker. Stale: the Spanish text changed after the translation was made.</p>
${stale}
<h2>Facts due for review</h2>${due}
</body></html>`;
}
