// npm run content:report [-- --html] — translation and freshness report, Markdown by default.
import { parseArgs } from 'node:util';
import { contentReport, reportHtml, reportMarkdown } from '../content/report.js';
import { projectRoot } from '../paths.js';
import { loadCatalogOrThrow } from '../runtime.js';
import { fail } from './options.js';

try {
  const { values } = parseArgs({ options: { html: { type: 'boolean', default: false }, dir: { type: 'string', default: projectRoot } } });
  const report = contentReport(loadCatalogOrThrow(values.dir!), new Date().toISOString().slice(0, 10));
  process.stdout.write(values.html ? reportHtml(report) : reportMarkdown(report));
} catch (error) {
  fail(error);
}
