// The web chat page, with its own words (locales/<lang>/webchat.yaml) put into the HTML so the
// page needs no extra request and no inline script (the Content-Security-Policy forbids those).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../content/catalog.js';
import { WEBCHAT_TEXTS } from '../content/schema.js';
import { LANGUAGES } from '../model/message.js';
import { webchatDir } from '../paths.js';

const template = readFileSync(join(webchatDir, 'index.html'), 'utf8');
const pages = new WeakMap<Catalog, string>();

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function webchatPage(catalog: Catalog): string {
  let page = pages.get(catalog);
  if (!page) {
    const texts = Object.fromEntries(
      LANGUAGES.map((lang) => [lang, Object.fromEntries(WEBCHAT_TEXTS.map((key) => [key, catalog.text(lang, `webchat.${key}`)]))]),
    );
    const needsJavascript = LANGUAGES.map((lang) => catalog.text(lang, 'webchat.needs_javascript')).join(' · ');
    page = template.replace('{{TEXTS}}', escapeHtml(JSON.stringify(texts))).replace('{{NEEDS_JAVASCRIPT}}', escapeHtml(needsJavascript));
    pages.set(catalog, page);
  }
  return page;
}
