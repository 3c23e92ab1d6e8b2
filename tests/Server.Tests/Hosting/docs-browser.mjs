// Opens the documentation pages of a running server in headless chromium and prints, as one JSON line per page,
// the operations the page rendered and every console error, page error, failed request and CSP violation it saw.
// Usage: node docs-browser.mjs BASE_URL CHROMIUM_PATH PLAYWRIGHT_PACKAGE_JSON
import { createRequire } from 'node:module';

const [base, executablePath, playwrightFrom] = process.argv.slice(2);
const { chromium } = createRequire(playwrightFrom)('playwright-core');

const pages = [
  {
    path: '/docs/',
    ready: '.opblock',
    read: () => [...document.querySelectorAll('.opblock')].map(b =>
      `${b.querySelector('.opblock-summary-method')?.textContent.trim().toLowerCase()} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`),
    prepare: async () => {},
    extra: () => ({ authorize: !!document.querySelector('.btn.authorize') }),
  },
  {
    path: '/redoc/',
    // ReDoc 3 lists the operations of every tag on its first page as a method line followed by a path line.
    ready: 'text="/status/liveness"',
    read: () => [...new Set([...document.body.innerText.matchAll(/^(GET|POST|PUT|PATCH|DELETE)\n(\/\S*)$/gm)]
      .map(m => `${m[1].toLowerCase()} ${m[2]}`))],
    // A long tag shows its first operations and a "Show N more..." button.
    prepare: async page => {
      for (const more of await page.getByText(/^Show \d+ more/).all()) await more.click();
      await page.waitForFunction(() => !/Show \d+ more/.test(document.body.innerText), null, { timeout: 10000 });
    },
    extra: () => ({}),
  },
];

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
try {
  for (const p of pages) {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', m => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
    page.on('requestfailed', r => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', r => { if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url()}`); });
    await page.exposeFunction('reportCsp', v => errors.push(`csp: ${v}`));
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
      e => window.reportCsp(`${e.violatedDirective} ${e.blockedURI}`)));
    const response = await page.goto(base + p.path, { waitUntil: 'load' });
    let operations = [];
    try {
      await page.waitForSelector(p.ready, { timeout: 30000 });
      await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
      await p.prepare(page);
      operations = await page.evaluate(p.read);
    } catch (e) {
      const seen = await page.evaluate(() => [...document.querySelectorAll('[data-section-id]')].slice(0, 8)
        .map(x => x.getAttribute('data-section-id')).join(' ') + ' | ' + document.body.innerText.slice(0, 300));
      errors.push(`render: ${e.message.split('\n')[0]}; sections: ${seen}`);
    }
    const extra = await page.evaluate(p.extra);
    const csp = response?.headers()['content-security-policy'] ?? null;
    console.log(JSON.stringify({ path: p.path, status: response?.status(), csp, operations, errors, ...extra }));
    await page.close();
  }
} finally {
  await browser.close();
}
