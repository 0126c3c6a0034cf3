// Setup from a fresh data folder through every step of the wizard (issue 6 item 1): the
// setup code, the headteacher's account, the recovery key, then — signed in — the
// school's name, retention, the DSL's email, the mail server with a real test email
// received by a local SMTP server (python3 -m aiosmtpd on a free port), and the mirror
// check showing the sample replay's packets. Then the System page as a technician,
// who sees no names. Screenshots at both widths (axe-core runs on each).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { addUser, apiSignIn, call, check, HEADTEACHER, PASSWORD, run, shots, signIn, startBox, withBrowser, work } from './harness.mjs';

const SCHOOL = 'Ysgol Gynradd Llanfair – Ñandú';
const DSL_EMAIL = 'dsl@llanfair.example';

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

// A Python that has aiosmtpd (Debian's python3-aiosmtpd installs it for /usr/bin/python3).
function pythonWithAiosmtpd() {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import aiosmtpd']).status === 0) return python;
  }
  return null;
}

// aiosmtpd's own command line, delivering into a Maildir the test reads.
async function startSmtp() {
  const python = pythonWithAiosmtpd();
  if (!python) return null;
  const port = await freePort();
  const maildir = join(work, 'maildir');
  const server = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i += 1) {
    const listening = await new Promise((resolve) => {
      const socket = createServer().listen(port, '127.0.0.1');
      socket.once('listening', () => socket.close(() => resolve(false)));
      socket.once('error', () => resolve(true));
    });
    if (listening) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    messages() {
      const fresh = join(maildir, 'new');
      // Only the test email: the replayed sample's alerts (issue 7) may arrive too.
      return existsSync(fresh)
        ? readdirSync(fresh)
            .map((name) => readFileSync(join(fresh, name), 'utf8'))
            .filter((text) => text.includes('Subject: Test email from hallmonitor'))
        : [];
    },
    stop() {
      server.kill('SIGTERM');
    },
  };
}

// The technician's account, added by the headteacher through the accounts API (the
// Users page's own test is accounts_test.mjs).
async function addTechnician(base) {
  const session = await apiSignIn(base, HEADTEACHER.username);
  await addUser(base, session, { username: 't.jones', display_name: 'Terry Jones', role: 'technician' });
}

async function setupJourney(page, box, smtp) {
  await page.goto(box.base);
  await page.getByRole('heading', { name: 'Set up hallmonitor' }).waitFor();
  await page.getByLabel('Setup code').fill(box.setupCode);
  await page.getByLabel('Your name').fill(HEADTEACHER.display_name);
  await page.getByLabel('User name').fill(HEADTEACHER.username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Type the password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.getByRole('heading', { name: 'Your recovery key' }).waitFor();
  check(await page.getByRole('button', { name: 'Print the recovery key' }).isVisible(), 'the recovery key is shown with a print button');
  await page.getByLabel('I have printed or written down the recovery key').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(HEADTEACHER.username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');

  // Step 1: the school's name.
  await page.getByRole('heading', { name: 'What is the school called?' }).waitFor({ timeout: 30000 });
  check(new URL(page.url()).pathname === '/setup', 'after signing in the headteacher is taken on to the wizard at /setup');
  check((await page.getByText('step 1 of 5').count()) === 1, 'the wizard says which step of how many');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('alert').waitFor();
  check((await page.getByRole('alert').textContent()).includes("Type the school's name"), 'an empty school name is refused in plain words');
  await page.getByLabel("The school's name").fill(SCHOOL);
  await shots(page, 'wizard-school');
  await page.getByRole('button', { name: 'Save and continue' }).click();

  // Step 2: retention, with the recommended periods filled in (the Settings page's form).
  await page.getByRole('heading', { name: 'How long should captures be kept?' }).waitFor();
  await page.waitForFunction(() => document.getElementById('retention-suicide')?.value === '365');
  check((await page.getByLabel('Drugs (days)').inputValue()) === '30', 'the retention step shows the recommended periods');
  await shots(page, 'wizard-retention');
  await page.getByRole('button', { name: 'Continue' }).click();

  // Step 3: the DSL's email.
  await page.getByRole('heading', { name: 'Who is the designated safeguarding lead?' }).waitFor();
  await page.getByLabel("The safeguarding lead's (DSL's) email address").fill('not an address');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('alert').waitFor();
  check((await page.getByRole('alert').textContent()).includes('is not an email address'), 'a bad DSL address is refused in plain words');
  await page.getByLabel("The safeguarding lead's (DSL's) email address").fill(DSL_EMAIL);
  await shots(page, 'wizard-dsl');
  await page.getByRole('button', { name: 'Save and continue' }).click();

  // Step 4: the mail server, and a test email that really arrives.
  await page.getByRole('heading', { name: 'How does the box send email?' }).waitFor();
  if (smtp) {
    await page.getByLabel('Mail server').fill('127.0.0.1');
    await page.getByLabel('No encryption (a relay inside the school only)').check();
    await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await page.getByLabel('Send emails from').fill('hallmonitor@llanfair.example');
    await page.getByRole('button', { name: 'Save mail settings' }).click();
    await page.getByText('The mail settings are saved.').waitFor();
    await page.getByRole('button', { name: 'Send a test email' }).click();
    const sent = page.locator('.mail-test [role="status"]');
    await sent.waitFor({ timeout: 60000 });
    check((await sent.textContent()).includes("the DSL's address"), `the test email is sent to the DSL (${await sent.textContent()})`);
    let messages = [];
    for (let i = 0; i < 50 && messages.length === 0; i += 1) {
      messages = smtp.messages();
      if (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    check(messages.length === 1, `the local SMTP server received the test email (${messages.length})`);
    check(messages[0]?.includes(DSL_EMAIL) && messages[0]?.includes('Subject: Test email from hallmonitor'),
      'it is addressed to the DSL with a plain subject');
    await shots(page, 'wizard-mail');
    await page.getByRole('button', { name: 'Continue' }).click();
  } else {
    console.log('SKIP the test email: aiosmtpd is not installed (tools/install-deps installs python3-aiosmtpd)');
    await shots(page, 'wizard-mail');
    await page.getByRole('button', { name: 'Skip this step' }).click();
  }

  // Step 5: the mirror check shows the sample replay's packets.
  await page.getByRole('heading', { name: 'Is the box plugged in the right way?' }).waitFor();
  const state = page.locator('.mirror-state');
  await state.waitFor();
  const text = await state.innerText();
  const packets = Number((await page.locator('.mirror-figures div', { hasText: 'Packets read from the recording' }).locator('dd').innerText()).replace(/,/g, ''));
  const devices = Number((await page.locator('.mirror-figures div', { hasText: 'Devices in the recording' }).locator('dd').innerText()).replace(/,/g, ''));
  check(text.includes('Test mode') && packets > 1000 && devices > 5,
    `the mirror check shows the sample replay's packets and devices (${packets} packets, ${devices} devices)`);
  await shots(page, 'wizard-mirror');
  // The drawing of how to plug the box in (open by itself when nothing arrives).
  await page.locator('summary', { hasText: 'How to plug the box in' }).click();
  const drawing = page.getByRole('img', { name: "How to plug the box into the school's switch" });
  await drawing.waitFor();
  check(await drawing.isVisible(), 'the plug-in drawing is there, with a text alternative');
  await shots(page, 'wizard-mirror-drawing');
  await page.goto(`${box.base}/setup`);
  await page.getByRole('heading', { name: 'Is the box plugged in the right way?' }).waitFor();
  check(true, 'the wizard remembers where it got to after a reload');
  await page.getByRole('button', { name: 'Finish setup' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  await page.waitForURL((url) => url.pathname !== '/setup');
  check(true, `finishing the wizard goes on to the box (${new URL(page.url()).pathname})`);

  const wizard = await page.evaluate(async () => (await fetch('/api/setup/wizard')).json());
  const done = wizard.steps.filter((step) => step.state === 'done').length;
  check(wizard.finished && done === (smtp ? 5 : 4),
    `the box records every step (${wizard.steps.map((step) => `${step.id}: ${step.state}`).join(', ')})`);

  // The Settings page shows the school's name and the DSL's address.
  await page.goto(`${box.base}/settings`);
  await page.getByRole('heading', { name: 'The school' }).waitFor();
  // Each field loads the settings itself, so wait for both.
  await page.waitForFunction(([school, dsl]) =>
    document.getElementById('school-name')?.value === school &&
    document.getElementById('dsl-email')?.value === dsl, [SCHOOL, DSL_EMAIL]);
  check((await page.getByLabel("The safeguarding lead's (DSL's) email address").inputValue()) === DSL_EMAIL,
    "the Settings page shows the school's name and the DSL's address");
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  // Signed in again, the finished wizard is not shown.
  await signIn(page, box.base, HEADTEACHER.username);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  check(new URL(page.url()).pathname !== '/setup', 'once finished, signing in does not go back to the wizard');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

async function technicianJourney(page, box, smtp) {
  await addTechnician(box.base);
  await signIn(page, box.base, 't.jones');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  check((await nav.getByRole('link', { name: 'System', exact: true }).count()) === 1, 'the technician has the System page');
  check((await nav.getByRole('link', { name: 'Captures', exact: true }).count()) === 0, 'the technician has no Captures page');
  await nav.getByRole('link', { name: 'System', exact: true }).click();
  await page.getByRole('heading', { name: 'System', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Storage' }).waitFor();
  const body = await page.locator('main').innerText();
  check(body.includes('Packets captured') && body.includes('Free space') && body.includes('Captures kept') &&
    body.includes("The box's clock") && body.includes('Safeguarding library') && body.includes('Running for'),
    'the System page shows capture counters, storage, time, library and uptime');
  check(body.includes('a recording (school-morning.pcap), test mode'), 'it says the box is replaying a recording');
  check(!body.includes(DSL_EMAIL) && !body.includes('how to kill myself') && !body.includes('Anita Patel'),
    'the technician sees no names, no DSL address and no evidence');
  if (smtp) {
    await page.waitForFunction(() => document.getElementById('mail-host')?.value === '127.0.0.1');
    check(true, 'the saved mail settings are there to edit');
  }
  await shots(page, 'system-technician');

  await page.getByRole('button', { name: "Restart the box's software" }).click();
  await page.getByRole('button', { name: 'Yes, restart now' }).click();
  const refused = page.locator('.system [role="alert"]').last();
  await refused.waitFor();
  check((await refused.textContent()).includes('test mode'), 'restart is refused in replay mode, in plain words');
  const answer = await call(box.base, 'GET', '/api/setup/status');
  check(answer.status === 200, 'the daemon is still running');
}

run(async () => {
  const box = await startBox();
  const smtp = await startSmtp();
  if (!smtp) console.log('SKIP (partly): aiosmtpd is missing, so the test email step is skipped; run tools/install-deps');
  let exitCode;
  try {
    await withBrowser(async (page) => {
      await setupJourney(page, box, smtp);
      await technicianJourney(page, box, smtp);
    });
  } finally {
    exitCode = await box.stop();
    smtp?.stop();
  }
  check(exitCode === 0, `hallmonitor stops cleanly (exit ${exitCode})`);
});
