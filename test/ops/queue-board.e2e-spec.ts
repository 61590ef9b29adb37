import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { createAdmin } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Queue board browser test SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).`);

(hasChromium ? describe : describe.skip)('Bull Board page in headless Chromium, under the Content-Security-Policy', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let profile: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    profile = mkdtempSync(path.join(os.tmpdir(), 'xsc-chromium-'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: 'shell',
      userDataDir: profile,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
    await t.close();
  });

  it('renders the queue list for an administrator signed in with the xsc_admin cookie', async () => {
    const admin = await createAdmin(t);
    const page = await browser.newPage();
    const errors: string[] = [];
    const blocked: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && blocked.push(m.text())));
    await page.setRequestInterception(true);
    page.on('request', (req) => void (req.url().startsWith(`${origin}/`) || req.url().startsWith('data:') ? req.continue() : req.abort()));

    await page.goto(`${origin}/admin/queues`);
    expect(await page.evaluate(() => (globalThis as any).document.body.innerText)).toMatch(/UNAUTHENTICATED/);

    // How an operator gets in: a call with the access token sets the cookie for /admin/queues.
    const set = await page.evaluate(async (token: string) => {
      const res = await fetch('/admin/queues/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      return res.status;
    }, admin.token);
    expect(set).toBe(200);
    await page.goto(`${origin}/admin/queues/`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => /ingest/.test((globalThis as any).document.body.innerText) && /reports/.test((globalThis as any).document.body.innerText), { timeout: 15_000 });
    expect(errors).toEqual([]);
    // Only the board's link to Google Fonts is refused (it falls back to local fonts).
    expect(blocked.filter((m) => !/fonts\.googleapis\.com/.test(m))).toEqual([]);
  });
});
