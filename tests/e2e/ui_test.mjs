// The headteacher's path through the web UI in a real browser (issue 2, item 6):
// first-run setup with the code from `hallmonitor admin status`, sign in, the planted
// suicide-search capture on the captures page, sign out — with screenshots at desktop
// and phone widths — and 401 from every signed-in API route without a session.
//
// run.sh passes: --hallmonitor BIN --pcap FILE --chromium BIN --work DIR --modules DIR
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  call, check, hallmonitor, openapi, PASSWORD, run, shots, sourceDir, startBox, withBrowser, work,
} from './harness.mjs';

// Every signed-in route in web/openapi.json (the unit test keeps it equal to the
// server's route table), called without a session.
async function checkUnauthenticatedApi(base) {
  const secureByDefault = (openapi.security ?? []).length > 0;
  let count = 0;
  for (const [path, item] of Object.entries(openapi.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const secured = operation.security ? operation.security.length > 0 : secureByDefault;
      if (!secured) continue;
      const concretePath = path.replace(/\{[^}]+\}/g, '1');
      const upper = method.toUpperCase();
      const answer = await call(base, upper, concretePath, upper === 'GET' ? undefined : {});
      check(answer.status === 401, `${upper} ${path} without a session answers 401 (got ${answer.status})`);
      count += 1;
    }
  }
  check(count >= 3, `checked ${count} signed-in API routes`);
}

async function checkHeaders(base) {
  const page = await call(base, 'GET', '/');
  check(page.status === 200 && page.headers['content-type'].startsWith('text/html'), 'GET / serves the UI');
  const csp = page.headers['content-security-policy'] ?? '';
  check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), 'CSP allows no inline script');
  check(page.headers['x-frame-options'] === 'DENY', 'X-Frame-Options: DENY');
  check((page.headers['strict-transport-security'] ?? '').includes('max-age='), 'HSTS is set');
  check(page.headers['x-content-type-options'] === 'nosniff', 'X-Content-Type-Options: nosniff');
}

// The school's own words (issue 4 item 7): add a word, see it hit in "Test a phrase",
// hide it with an exception, remove both. Testing compiles the whole library, which
// takes a while on a busy machine: those waits are long.
async function libraryJourney(page, dataDir) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Library' }).click();
  await page.getByRole('heading', { name: 'Library', exact: true }).waitFor();
  check(new URL(page.url()).pathname === '/library', 'the Library link opens /library');
  // The first visit compiles the library for the page: give it time.
  await page.locator('.library-card').first().waitFor({ timeout: 180000 });
  const inUse = await page.locator('.library-card').first().innerText();
  check(inUse.includes('starter library') && /\d+ entries/.test(inUse), 'the Library page says which library is in use');

  async function addEntry(pattern, kind) {
    await page.getByLabel('Word, phrase or web site').fill(pattern);
    await page.getByLabel(kind, { exact: true }).check();
    await page.getByLabel('Category', { exact: true }).selectOption('bullying');
    if (kind !== 'Never flag this (exception)') await page.getByLabel('Severity').selectOption('4');
    await page.getByRole('button', { name: "Add to the school's words" }).click();
    await page.locator('table.school-words tbody tr', { hasText: pattern }).first().waitFor({ timeout: 60000 });
  }
  async function testPhrase(text) {
    await page.getByLabel('Text to test').fill(text);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.locator('.test-result .normalised').waitFor({ timeout: 180000 });
    return page.locator('.test-result').innerText();
  }

  await addEntry('bogbrush gang', 'A phrase');
  const row = await page.locator('table.school-words tbody tr', { hasText: 'bogbrush gang' }).first().innerText();
  check(row.includes('A phrase') && row.includes('Bullying') && row.includes('High'), `the school word is listed (${row.replace(/\s+/g, ' ')})`);
  const hit = await testPhrase('The BOGBRUSH   gang are back');
  check(hit.includes('the bogbrush gang are back') && hit.includes('"bogbrush gang"') && hit.includes("the school's own words"),
    'Test a phrase shows the normalised text and the school word it hits');

  await addEntry('bogbrush gang fan club', 'Never flag this (exception)');
  const hidden = await testPhrase('the bogbrush gang fan club');
  check(hidden.includes('Nothing would be flagged') && hidden.includes('Hidden by an exception') &&
    hidden.includes('"bogbrush gang fan club"'), 'the exception hides the school word, and Test a phrase says which');
  await shots(page, 'library');

  await page.getByRole('button', { name: 'Remove "bogbrush gang fan club"' }).click();
  await page.locator('table.school-words tbody tr', { hasText: 'fan club' }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Remove "bogbrush gang"', exact: true }).click();
  await page.getByText('The school has not added any words yet.').waitFor();
  check(true, 'both school entries are removed');
  await installLibraryUpdate(page, dataDir);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Captures' }).click();
  await page.getByRole('heading', { name: 'Captures' }).waitFor();
}

// How long captures are kept (issue 5 item 2): every category with its recommended
// period, a change saved and still there after a reload, a bad value refused.
async function retentionJourney(page) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'How long captures are kept' }).waitFor();
  const drugs = page.getByLabel('Drugs (days)');
  check((await drugs.inputValue()) === '30' && (await page.getByLabel('Suicide (days)').inputValue()) === '365',
    'the Settings page shows each category\'s recommended period');
  await drugs.fill('3');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const refused = await page.getByRole('alert').textContent();
  check(refused.includes('Drugs: keep captures for 7 to 3650 days'), `a period too short is refused (${refused})`);
  check(await drugs.evaluate((input) => input === document.activeElement), 'the refused field gets the focus');
  await drugs.fill('60');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const saved = await page.getByRole('status').textContent();
  check(saved.includes('Drugs: 60 days'), 'a changed period is saved and the page says so');
  await shots(page, 'settings');
  await page.reload();
  await page.getByRole('heading', { name: 'How long captures are kept' }).waitFor();
  await page.getByLabel('Drugs (days)').waitFor();
  await page.waitForFunction(() => document.getElementById('retention-drugs')?.value === '60');
  check(true, 'after a reload the new period is still there');
}

// "Install a library update" (issue 4 item 7): a bundle signed by a publisher the box
// trusts is installed from the browser; the same file again is refused with the reason.
async function installLibraryUpdate(page, dataDir) {
  const publisher = join(work, 'publisher');
  rmSync(`${publisher}.key`, { force: true });
  rmSync(`${publisher}.pub`, { force: true });
  await hallmonitor('library', 'keygen', '--out', publisher);
  mkdirSync(join(dataDir, 'trusted-keys'), { recursive: true });
  copyFileSync(`${publisher}.pub`, join(dataDir, 'trusted-keys', 'publisher.pub'));
  const bundle = join(work, 'safer-schools-7.hmlib');
  await hallmonitor('library', 'build', join(sourceDir, 'firmware', 'library'), '--out', bundle,
    '--key', `${publisher}.key`, '--version', '7', '--publisher', 'Safer Schools Library');

  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Install a library update' }) });
  await form.getByRole('button', { name: 'Install update' }).click();
  check((await form.getByRole('alert').textContent()).includes('Choose the library update file'),
    'installing without a file asks for one');
  await form.getByLabel('Library update file').setInputFiles(bundle);
  await form.getByRole('button', { name: 'Install update' }).click();
  const done = form.getByRole('status');
  await done.waitFor({ timeout: 60000 });
  check((await done.textContent()).includes('Edition 7 from Safer Schools Library is installed and in use'),
    'an uploaded bundle is installed and the page says so');
  // The page then reads the overview again, which compiles the new edition for the
  // page: slow under the sanitizers on a busy machine, like the first visit.
  const card = page.locator('.library-card').first();
  await card.filter({ hasText: 'Safer Schools Library' }).waitFor({ timeout: 180000 });
  const inUse = await card.innerText();
  check(inUse.includes('Edition 7') && inUse.includes('Safer Schools Library'), 'the page shows edition 7 in use');
  await shots(page, 'library-update');

  await form.getByLabel('Library update file').setInputFiles(bundle);
  await form.getByRole('button', { name: 'Install update' }).click();
  await form.getByRole('alert').waitFor();
  const refused = await form.getByRole('alert').textContent();
  check(refused.includes('edition 7 is already in use') && refused.includes('not changed'),
    `the same update again is refused with the reason (${refused})`);
}

async function browserJourney(box) {
  const { base, setupCode } = box;
  await withBrowser(async (page, context) => {
    // First run: the box sends a new visitor to setup.
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Set up hallmonitor' }).waitFor();
    check(new URL(page.url()).pathname === '/setup', 'a fresh box opens the setup page');
    await shots(page, 'setup');

    await page.getByLabel('Setup code').fill('AAAA-BBBB-CCCC');
    await page.getByLabel('Your name').fill('Anita Patel');
    await page.getByLabel('User name').fill('a.patel');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Type the password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create my account' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    check((await alert.textContent()).includes('setup code is not right'), 'a wrong setup code is refused with a clear message');
    await shots(page, 'setup-wrong-code');

    await page.getByLabel('Setup code').fill(setupCode.toLowerCase());
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { name: 'Your account is ready' }).waitFor();
    check(true, 'setup with the code from `admin status` creates the account');

    // The recovery key, shown once: it must be kept before going on.
    await page.getByRole('heading', { name: 'Your recovery key' }).waitFor();
    const recoveryKey = (await page.locator('.recovery-key code').textContent()).trim();
    check(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){7}$/.test(recoveryKey), `setup shows the recovery key once (${recoveryKey})`);
    check(await page.getByRole('button', { name: 'Print the recovery key' }).isVisible(), 'the recovery key has a print button');
    await shots(page, 'setup-done');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    check((await page.getByRole('alert').textContent()).includes('recovery key') &&
      (await page.getByRole('heading', { name: 'Your account is ready' }).isVisible()),
      'going on without confirming the recovery key is kept is refused with a clear message');
    const kept = page.getByLabel('I have printed or written down the recovery key');
    await kept.focus();
    await page.keyboard.press('Space');
    check(await kept.isChecked(), 'the recovery key checkbox is labelled and works from the keyboard');

    // Sign in, from the keyboard.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.waitForURL('**/login');
    check(true, 'after setup the sign-in page is shown at /login');
    await page.getByLabel('User name').fill('a.patel');
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('alert').waitFor();
    check((await page.getByRole('alert').textContent()).includes('do not match'), 'a wrong password is refused');
    await shots(page, 'login');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');

    // Set up from the setup page: signed in, the wizard carries on (every step is in
    // setup_test.mjs); here it is left for later, and the box opens as usual.
    await page.getByRole('heading', { name: 'What is the school called?' }).waitFor({ timeout: 30000 });
    check(new URL(page.url()).pathname === '/setup', 'after signing in, the setup wizard carries on at /setup');
    await page.getByRole('link', { name: 'Do the rest later' }).click();

    // People land on the dashboard. The planted concern (tools/sample/README.md), a
    // suicide search on www.google.com, is on the captures page (the list shows no
    // evidence: the site is on the capture's own page, captures_test.mjs).
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Captures' }).click();
    await page.getByRole('heading', { name: 'Captures' }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'how to kill myself' }).filter({ hasText: 'Suicide' });
    await row.first().waitFor();
    const rowText = await row.first().innerText();
    check(rowText.includes('Critical') && rowText.includes('10.20.16.29') && rowText.includes('Needs review'),
      'the captures page shows the planted suicide search (phrase, severity, device, status)');
    const rows = await page.locator('tbody tr').count();
    check(rows >= 8, `the captures page lists the sample's planted captures (${rows} rows)`);
    const firstTime = await page.locator('tbody tr').first().locator('time').getAttribute('datetime');
    const lastTime = await page.locator('tbody tr').last().locator('time').getAttribute('datetime');
    check(firstTime >= lastTime, 'captures are listed newest first');

    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'hm_session');
    check(session && session.httpOnly && session.secure && session.sameSite === 'Strict',
      'the session cookie is HttpOnly, Secure and SameSite=Strict');
    check(await page.evaluate(() => !document.cookie.includes('hm_session')), 'scripts cannot read the session cookie');

    await shots(page, 'captures');

    await libraryJourney(page, box.dataDir);
    await retentionJourney(page);

    // Sign out: the session ends on the server too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const after = await page.evaluate(async () => (await fetch('/api/session')).status);
    check(after === 401, 'after signing out the session is gone (401)');
    await shots(page, 'login');
  });
}

run(async () => {
  const box = await startBox();
  let exitCode;
  try {
    check(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(box.setupCode ?? ''), `admin status gives a setup code (${box.setupCode})`);
    await checkHeaders(box.base);
    await checkUnauthenticatedApi(box.base);
    await browserJourney(box);
    const done = JSON.parse(await hallmonitor('admin', 'status', '--data-dir', box.dataDir, '--json'));
    check(done.setup_complete === true && done.setup_code === null, 'admin status reports setup done and no code');
  } finally {
    exitCode = await box.stop();
  }
  check(exitCode === 0, `hallmonitor stops cleanly on SIGTERM (exit ${exitCode})`);
});
