// Staff endpoints, only when ADMIN_TOKEN is set: reload the content now, read the content report.
// The token is compared in constant time; without a valid one the answer is 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { LiveCatalog } from '../content/live-catalog.js';
import { formatProblem } from '../content/problems.js';
import { contentReport, reportHtml, reportMarkdown } from '../content/report.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function tokenMatches(given: string | undefined, expected: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never leaks the token's length.
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

export function adminApi(content: LiveCatalog, token: string, today: () => string): Router {
  const router = Router();
  const requireToken: RequestHandler = (req, res, next) => {
    const header = req.get('authorization');
    const given = header?.startsWith('Bearer ') ? header.slice(7) : typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!tokenMatches(given, token)) return void res.status(401).json({ error: 'a valid admin token is required' });
    next();
  };
  router.use('/admin', requireToken);

  router.post('/admin/reload', (_req, res) => {
    const { ok, problems } = content.reload();
    res.status(ok ? 200 : 422).json({ reloaded: ok, problems: problems.map(formatProblem) });
  });

  router.get('/admin/content-report', (req, res) => {
    const report = contentReport(content.current, today());
    if (req.query.format === 'md') return void res.type('text/markdown').send(reportMarkdown(report));
    res.type('html').send(reportHtml(report));
  });
  return router;
}
