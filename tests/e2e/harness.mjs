// What every browser test shares: the arguments run.sh passes, checks that collect
// failures, a daemon replaying a capture with the web UI on a free port, a browser
// (Debian's chromium via playwright-core), screenshots at desktop and phone widths,
// axe-core on every page, and the API outside the browser.
//
// A test file (tests/e2e/*_test.mjs, each its own ctest `e2e.<name>`) looks like:
//
//   import { check, finish, startBox, withBrowser, setUpAndSignIn } from './harness.mjs';
//   const box = await startBox();
//   try { await withBrowser(async (page) => { ... }); } finally { await box.stop(); }
//   finish();
import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const require = createRequire(join(args.modules, '/'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const sourceDir = fileURLToPath(new URL('../..', import.meta.url));
export const openapi = JSON.parse(readFileSync(join(sourceDir, 'web', 'openapi.json'), 'utf8'));
export const PASSWORD = 'the blue door at noon';
export const HEADTEACHER = { username: 'a.patel', display_name: 'Anita Patel', password: PASSWORD };
// Each test file works in its own folder under the build's e2e/ (run.sh passes --work).
export const testName = basename(process.argv[1], '.mjs').replace(/_test$/, '');
export const work = join(args.work, testName);
export const screenshots = join(args.work, 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const failures = [];

export function check(condition, message) {
  if (condition) {
    console.log(`ok   ${message}`);
  } else {
    console.log(`FAIL ${message}`);
    failures.push(message);
  }
}

// Ends the test: exit 1 if any check failed.
export function finish() {
  if (failures.length) {
    console.log(`\n${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log(`\nall checks passed; screenshots in ${screenshots}`);
  process.exit(0);
}

export function run(main) {
  main()
    .then(finish)
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A request outside the browser: status, headers and parsed body (or text). `session`
// ({cookie, csrf}) from apiSignIn() signs it in.
export function call(base, method, path, body, session) {
  // With an explicit length: node sends a DELETE body without one (nor chunked), and the
  // server would read it as the start of the next request on the connection.
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers = text === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
  if (session) {
    headers.Cookie = session.cookie;
    headers['X-CSRF-Token'] = session.csrf;
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${base}${path}`, { method, rejectUnauthorized: false, headers }, (res) => {
      let answer = '';
      res.on('data', (chunk) => (answer += chunk));
      res.on('end', () => {
        let json = null;
        try {
          json = JSON.parse(answer);
        } catch {
          // not JSON (a page, a file)
        }
        resolve({ status: res.statusCode, headers: res.headers, body: answer, json });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

// Signs in outside the browser; the session to pass to call().
export async function apiSignIn(base, username, password = PASSWORD) {
  const answer = await call(base, 'POST', '/api/login', { username, password });
  if (answer.status !== 200) throw new Error(`sign-in of ${username} failed: ${answer.status} ${answer.body}`);
  const cookie = answer.headers['set-cookie'][0].split(';')[0];
  return { cookie, csrf: answer.json.csrf_token, user: answer.json.user };
}

// Another staff account, added the way the Users page adds one (POST /api/users, which
// also wraps the evidence key for a role that sees evidence), with the test password.
// `session` is a signed-in headteacher's (apiSignIn).
export async function addUser(base, session, { username, display_name, role }, password = PASSWORD) {
  const answer = await call(base, 'POST', '/api/users', { username, display_name, role, password }, session);
  if (answer.status !== 201) throw new Error(`adding ${username} (${role}) failed: ${answer.status} ${answer.body}`);
  return answer.json.id;
}

export async function hallmonitor(...commandArgs) {
  const { stdout } = await promisify(execFile)(args.hallmonitor, commandArgs);
  return stdout;
}

// A daemon replaying `pcap` (the bundled sample unless given) into a fresh data folder,
// its web UI on a free port. Returns { base, dataDir, setupCode, stop() }.
export async function startBox({ pcap = args.pcap, extraArgs = [] } = {}) {
  const dataDir = join(work, 'data');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(screenshots, { recursive: true });
  const port = await freePort();
  const base = `https://127.0.0.1:${port}`;
  const daemon = spawn(args.hallmonitor, ['replay', pcap, '--data-dir', dataDir, '--serve', '--port', String(port), ...extraArgs], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 120000;
  for (;;) {
    if (daemon.exitCode !== null) throw new Error(`hallmonitor exited early (code ${daemon.exitCode})`);
    if (Date.now() > deadline) throw new Error(`the web UI did not answer at ${base} within 120 s`);
    try {
      if ((await call(base, 'GET', '/api/setup/status')).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const status = JSON.parse(await hallmonitor('admin', 'status', '--data-dir', dataDir, '--json'));
  return {
    base,
    dataDir,
    daemon,
    setupCode: status.setup_code,
    // SIGTERM; the exit code (0 for a clean stop).
    async stop() {
      if (daemon.exitCode !== null) return daemon.exitCode;
      const exited = new Promise((resolve) => daemon.once('exit', (code, signal) => resolve(code ?? signal)));
      daemon.kill('SIGTERM');
      const timer = setTimeout(() => daemon.kill('SIGKILL'), 15000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

// Setup through the API (the setup page's own test is ui_test.mjs): the headteacher's
// account. Returns the recovery key.
export async function setUpThroughApi(box, headteacher = HEADTEACHER) {
  const answer = await call(box.base, 'POST', '/api/setup', { setup_code: box.setupCode, ...headteacher });
  if (answer.status !== 201) throw new Error(`setup failed: ${answer.status} ${answer.body}`);
  return answer.json.recovery_key;
}

// Runs `journey(page, context)` in a fresh chromium; console errors fail the test.
export async function withBrowser(journey) {
  const userDataDir = join(work, 'chromium-profile');
  rmSync(userDataDir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    ignoreHTTPSErrors: true,
    viewport: DESKTOP,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    acceptDownloads: true,
  });
  const consoleErrors = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15000);
    // Expected refusals (401, 403) are logged by the browser as failed loads; anything
    // else is a fault of the UI.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await journey(page, context);
  } finally {
    await context.close();
  }
  check(consoleErrors.length === 0, `no errors in the browser console${consoleErrors.length ? `: ${consoleErrors.join(' | ')}` : ''}`);
}

// Signs in through the sign-in page and waits for the first signed-in page.
export async function signIn(page, base, username, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
}

export async function openPage(page, label) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label, exact: true }).click();
}

// axe-core on the page as it is now: no serious or critical violation (issue 6). The
// script is evaluated over the DevTools protocol, which the page's CSP does not govern.
export async function checkAccessibility(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  const bad = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  const detail = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  check(bad.length === 0, `axe: no serious or critical violation on ${name}${bad.length ? ` — ${detail.join('; ')}` : ''}`);
}

// Screenshots at desktop and phone widths (<name>-desktop.png, <name>-phone.png), and
// axe-core at both widths.
export async function shots(page, name) {
  for (const [width, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(size);
    const path = join(screenshots, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`     screenshot ${path}`);
    await checkAccessibility(page, `${name} (${width})`);
  }
  await page.setViewportSize(DESKTOP);
}
