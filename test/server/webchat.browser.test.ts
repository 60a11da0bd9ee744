// The web chat page in a real browser (Debian's Chromium driven by playwright-core) against the
// real app on an ephemeral port: greeting, typing, tapping choices, phone layout, CSP and console.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer } from '../../src/server/app.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

const TIMEOUT = 30_000;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let runtime: Runtime;
let server: Server;
let baseUrl: string;
let browser: Browser;

/** Everything that would show the page is broken: console errors, page errors, CSP violations, failed or 4xx/5xx requests. */
interface Problems {
  list: string[];
}

async function openPage(context: BrowserContext): Promise<{ page: Page; problems: Problems }> {
  const problems: Problems = { list: [] };
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.list.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.list.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.list.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.list.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  // Init scripts are injected by the browser, outside the page's CSP, so this sees every violation.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, problems };
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

const botMessages = (page: Page) => page.locator('[data-testid="bot-message"]');
const enabledChoice = (page: Page, label: string) =>
  page.locator('[data-testid="choice"]:enabled').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) });

/** Runs `act`, then waits for the bot's answer and returns the texts of the new bot messages. */
async function botReplyTo(page: Page, act: () => Promise<void>): Promise<string[]> {
  const before = await botMessages(page).count();
  await act();
  await expect.poll(() => botMessages(page).count(), { timeout: TIMEOUT }).toBeGreaterThan(before);
  await page.getByTestId('typing').waitFor({ state: 'detached', timeout: TIMEOUT });
  return (await botMessages(page).allTextContents()).slice(before);
}

beforeAll(async () => {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const log = createLogger('silent');
  runtime = await createRuntime(config, log);
  const app = createServer({ bot: runtime.bot, catalog: runtime.catalog, log, ready: () => runtime.store.ready() });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime?.close();
}, 60_000);

describe('web chat page', () => {
  let context: BrowserContext;
  let page: Page;
  let problems: Problems;

  beforeAll(async () => {
    context = await browser.newContext({ locale: 'es-HN' });
    ({ page, problems } = await openPage(context));
  }, TIMEOUT);
  afterAll(async () => context?.close());

  it('loads and shows the greeting', async () => {
    await page.goto(baseUrl);
    await expect(page.title()).resolves.toBe('Puente');
    await expect.poll(() => botMessages(page).count(), { timeout: TIMEOUT }).toBeGreaterThan(0);
    await expect(botMessages(page).first().textContent()).resolves.toContain('Puente');
    await enabledChoice(page, 'Español').waitFor({ timeout: TIMEOUT });
    // The hidden /start is not shown as a message from the person.
    await expect(page.locator('[data-testid="user-message"]').count()).resolves.toBe(0);
    // Line breaks in bot text are kept (the greeting has one paragraph per language).
    const whiteSpace = await botMessages(page).first().evaluate((el) => getComputedStyle(el).whiteSpace);
    expect(whiteSpace).toBe('pre-wrap');
  }, TIMEOUT);

  it('answers typed text: choose Español, then type "menu" and press Enter', async () => {
    await botReplyTo(page, () => enabledChoice(page, 'Español').click());
    await expect(page.locator('[data-testid="user-message"]').last().textContent()).resolves.toBe('Español');
    // The greeting's buttons are now disabled.
    await expect(page.locator('[data-testid="choice"][data-choice-id="es"]').isDisabled()).resolves.toBe(true);

    const input = page.getByTestId('input');
    await input.fill('menu');
    const replies = await botReplyTo(page, () => input.press('Enter'));
    expect(replies.length).toBeGreaterThan(0);
    await expect(input.inputValue()).resolves.toBe('');
    await expect(page.locator('[data-testid="user-message"]').last().textContent()).resolves.toBe('menu');
    await enabledChoice(page, 'Mis derechos').waitFor({ timeout: TIMEOUT });
  }, TIMEOUT);

  it('sends a tapped choice and shows the answer', async () => {
    const replies = await botReplyTo(page, () => enabledChoice(page, 'Mis derechos').click());
    await expect(page.locator('[data-testid="user-message"]').last().textContent()).resolves.toBe('Mis derechos');
    expect(replies.join('\n').toLowerCase()).toContain('derechos');
    // Only the latest message's buttons can be tapped.
    const enabled = page.locator('[data-testid="choices"]').filter({ has: page.locator('[data-testid="choice"]:enabled') });
    await expect(enabled.count()).resolves.toBe(1);
  }, TIMEOUT);

  it('typed text is shown as text, never as markup', async () => {
    const input = page.getByTestId('input');
    const typed = '<img src=x onerror="window.__pwned=1"><b>hola</b>';
    await input.fill(typed);
    await botReplyTo(page, () => page.getByTestId('send-button').click());
    await expect(page.locator('[data-testid="user-message"]').last().textContent()).resolves.toBe(typed);
    await expect(page.locator('[data-testid="messages"] img, [data-testid="messages"] b').count()).resolves.toBe(0);
  }, TIMEOUT);

  it('keeps only an anonymous id in localStorage, and the same one after a reload', async () => {
    const storage = () => page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
    const first = await storage();
    expect(Object.keys(first)).toEqual(['puente.user']);
    expect(first['puente.user']).toMatch(/^[A-Za-z0-9-]{8,128}$/);
    await page.reload();
    await expect.poll(() => botMessages(page).count(), { timeout: TIMEOUT }).toBeGreaterThan(0);
    await expect(storage()).resolves.toEqual(first);
  }, TIMEOUT);

  it('had no console errors, failed requests or CSP violations', async () => {
    expect(problems.list).toEqual([]);
    await expect(cspViolations(page)).resolves.toEqual([]);
  }, TIMEOUT);
});

describe('web chat on a phone', () => {
  it('fits 360px without horizontal scroll, with big enough input and send button', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'es-HN',
    });
    try {
      const { page, problems } = await openPage(context);
      await page.goto(baseUrl);
      await enabledChoice(page, 'Español').waitFor({ timeout: TIMEOUT }); // the greeting
      await botReplyTo(page, () => enabledChoice(page, 'Español').tap());
      await botReplyTo(page, () => enabledChoice(page, 'Saltar').tap());

      const size = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(size.clientWidth).toBe(360);
      expect(size.scrollWidth).toBeLessThanOrEqual(size.clientWidth);

      for (const testId of ['input', 'send-button']) {
        const element = page.getByTestId(testId);
        await expect(element.isVisible()).resolves.toBe(true);
        const box = await element.boundingBox();
        expect(box, testId).not.toBeNull();
        expect(box!.height, testId).toBeGreaterThanOrEqual(40);
        expect(box!.x, testId).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, testId).toBeLessThanOrEqual(360);
        expect(box!.y + box!.height, testId).toBeLessThanOrEqual(640);
      }
      const choice = await enabledChoice(page, 'Mis derechos').boundingBox();
      expect(choice!.height).toBeGreaterThanOrEqual(40);

      await page.screenshot({ path: '/tmp/webchat-phone.png' });
      expect(problems.list).toEqual([]);
      await expect(cspViolations(page)).resolves.toEqual([]);
    } finally {
      await context.close();
    }
  }, TIMEOUT);
});

describe('web chat when the server fails', () => {
  it('shows an error line and keeps the typed text', async () => {
    const context = await browser.newContext({ locale: 'es-HN' });
    try {
      const { page } = await openPage(context);
      await page.goto(baseUrl);
      await enabledChoice(page, 'Español').waitFor({ timeout: TIMEOUT });

      await page.route('**/api/chat', (route) =>
        route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal error"}' }),
      );
      const input = page.getByTestId('input');
      await input.fill('hola');
      await input.press('Enter');
      await page.getByTestId('error').waitFor({ state: 'visible', timeout: TIMEOUT });
      await expect(input.inputValue()).resolves.toBe('hola');
      await expect(page.locator('[data-testid="user-message"]').count()).resolves.toBe(0);
      await expect(enabledChoice(page, 'Español').count()).resolves.toBe(1);

      await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
      await enabledChoice(page, 'Español').click();
      await page.getByTestId('error').waitFor({ state: 'visible', timeout: TIMEOUT });
      await expect(enabledChoice(page, 'Español').count()).resolves.toBe(1);

      // Back online: "try again" resends and the error goes away.
      await page.unrouteAll();
      await page.getByTestId('retry').click();
      await page.getByTestId('error').waitFor({ state: 'hidden', timeout: TIMEOUT });
      await expect(page.locator('[data-testid="user-message"]').last().textContent()).resolves.toBe('Español');
    } finally {
      await context.close();
    }
  }, TIMEOUT);
});
