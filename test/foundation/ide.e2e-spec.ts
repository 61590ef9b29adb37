import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createAdmin, createOrg, uniq } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`GraphQL IDE browser test SKIPPED: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it).`);
}

describe('GraphQL IDE served offline at GET /graphql', () => {
  let t: TestApp;
  let origin: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('answers a browser with an HTML page whose scripts and stylesheets all come from this server', async () => {
    const res = await t.http().get('/graphql').set('accept', 'text/html').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const refs = [...res.text.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) expect(ref).toMatch(/^\/graphql-ide\//);
    for (const ref of refs) await t.http().get(ref).expect(200);
  });

  it('refuses an unknown IDE asset with NOT_FOUND', async () => {
    const res = await t.http().get('/graphql-ide/..%2Fpackage.json').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  (hasChromium ? describe : describe.skip)(`in headless Chromium${hasChromium ? '' : ` (SKIPPED: ${CHROMIUM} missing)`}`, () => {
    let browser: Browser;
    let profile: string;
    let page: Page;
    const foreign: string[] = [];
    const pageErrors: string[] = [];
    const cspViolations: string[] = [];

    beforeAll(async () => {
      profile = mkdtempSync(path.join(os.tmpdir(), 'xsc-chromium-'));
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: 'shell',
        userDataDir: profile,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        const url = req.url();
        if (url.startsWith(`${origin}/`) || /^(data|blob|about):/.test(url)) return void req.continue();
        foreign.push(url);
        void req.abort();
      });
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && cspViolations.push(m.text())));
    });
    afterAll(async () => {
      await browser?.close();
      rmSync(profile, { recursive: true, force: true });
    });

    it('renders GraphiQL and runs a query typed into it, with only local requests', async () => {
      const admin = await createAdmin(t);
      const org = await createOrg(t, `ide-org-${uniq()}`);

      await page.goto(`${origin}/graphql`, { waitUntil: 'networkidle0' });
      const versions = await page.evaluate(() => ({
        react: (globalThis as any).React?.version,
        graphiql: typeof (globalThis as any).GraphiQL,
      }));
      expect(versions).toEqual({ react: expect.stringMatching(/^18\./), graphiql: 'function' });
      await page.waitForSelector('.graphiql-query-editor .CodeMirror');
      await page.waitForSelector('.graphiql-execute-button');

      // Headers tab: the operator pastes an access token as the IDE's default text tells them.
      await clickButtonWithText(page, '.graphiql-editor-tools button', 'Headers');
      await typeInto(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', `{"Authorization": "Bearer ${admin.token}"}`);
      await typeInto(page, '.graphiql-query-editor .CodeMirror', '{ organizations { id name } }');
      expect(await editorText(page, '.graphiql-query-editor .CodeMirror')).toBe('{ organizations { id name } }');

      // GraphiQL parses the document shortly after each edit; run once it has seen the new one.
      await page.waitForFunction(() => {
        const cm = (globalThis as any).document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror;
        return cm?.operations?.length === 1 && cm.operationName === null;
      });
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => {
        const value: string | undefined = (globalThis as any).document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror?.getValue();
        return /"(data|errors)"/.test(value ?? '');
      });
      const result = JSON.parse(await editorText(page, '.graphiql-response .CodeMirror'));
      expect(result.errors).toBeUndefined();
      expect(result.data.organizations).toContainEqual({ id: String(org.id), name: org.name });

      expect(foreign).toEqual([]);
      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]); // the server's Content-Security-Policy admits everything the IDE needs
    });
  });
});

async function clickButtonWithText(page: Page, selector: string, text: string): Promise<void> {
  const buttons = await page.$$(selector);
  for (const b of buttons) {
    if ((await b.evaluate((el) => el.textContent?.trim())) === text) return b.click();
  }
  throw new Error(`no ${selector} button labelled ${text}`);
}

/** Selects everything in a CodeMirror editor and types over it with the keyboard. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // close any autocompletion popup
}

function editorText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}
