// Incidents (issue 6 item 5), in a real browser over the sample replay: the headteacher
// opens an incident from the planted suicide capture, moves it through in review →
// action taken (with a dated note and the intervention recorded) → closed, and reads
// its history; the list shows it with its status, age and time to first review. A
// technician has no Incidents page and the API refuses them.
//
// run.sh passes: --hallmonitor BIN --pcap FILE --chromium BIN --work DIR --modules DIR
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiSignIn, call, check, HEADTEACHER, PASSWORD, run, setUpThroughApi, shots, signIn, startBox, withBrowser } from './harness.mjs';

// A technician beside the headteacher, with the same password (PBKDF2's salt and hash
// do not depend on the name); the accounts page is engineer A's part of issue 6.
async function addTechnician(dataDir) {
  await promisify(execFile)('sqlite3', [
    join(dataDir, 'hallmonitor.db'),
    "INSERT INTO users (username, display_name, role, password_salt, password_hash, password_iterations, created_us, password_scheme) " +
      "SELECT 't.tech', 'Terry Tech', 'technician', password_salt, password_hash, password_iterations, created_us, password_scheme " +
      "FROM users WHERE username = 'a.patel';",
  ]);
}

// The planted suicide search, found through the captures API.
async function plantedCapture(base, session) {
  let next = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const answer = await call(base, 'GET', `/api/captures?limit=200&category=suicide${next ? `&before=${next}` : ''}`, undefined, session);
    if (answer.status !== 200) throw new Error(`the captures list answered ${answer.status}`);
    const found = answer.json.captures.find((capture) => capture.phrase.includes('kill myself'));
    if (found) return found.id;
    next = answer.json.next;
    if (!next) break;
  }
  throw new Error('the planted suicide capture is not in the captures list');
}

async function moveTo(page, label) {
  await page.getByLabel('Move to').selectOption({ label });
  await page.getByRole('button', { name: 'Change status' }).click();
  await page.getByRole('status').filter({ hasText: `Moved to “${label}”` }).waitFor();
}

async function incidentJourney(page, base, captureId) {
  await page.goto(`${base}/incidents`);
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
  await page.getByText('No incident has been opened yet').waitFor();
  check(true, 'before any incident the list says how to open one');

  // A capture's page links here with its id (engineer B's "Open an incident").
  await page.goto(`${base}/incidents/new?captures=${captureId}`);
  await page.getByRole('heading', { name: 'Open an incident' }).waitFor();
  await page.getByText('how to kill myself').first().waitFor();
  await page.getByRole('button', { name: 'Open the incident' }).click();
  await page.getByRole('alert').filter({ hasText: 'Give the incident a short title' }).waitFor();
  check(true, 'an incident without a title is refused with a plain message');
  await page.getByLabel('Title').fill('Searches about suicide on a Year 6 laptop');
  await page.getByRole('button', { name: 'Open the incident' }).click();
  await page.getByRole('heading', { name: 'Searches about suicide on a Year 6 laptop' }).waitFor();
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  check(Number.isInteger(id) && id > 0, `opening it leads to the incident's page (${page.url()})`);
  check((await page.locator('.facts').innerText()).includes('New'), 'a new incident starts as New');
  check((await page.locator('.facts').innerText()).includes('Not reviewed yet'), 'the time since the capture is shown while nobody has reviewed it');

  await moveTo(page, 'In review');
  await page.getByLabel('Who follows it up').selectOption('a.patel');
  await page.getByRole('button', { name: 'Assign' }).click();
  await page.getByRole('status').filter({ hasText: 'Assigned to a.patel' }).waitFor();
  await page.getByLabel('Add a note').fill('Spoke to the class teacher; the laptop is used by one pupil in 6B.');
  await page.getByRole('button', { name: 'Add the note' }).click();
  await page.getByText('Spoke to the class teacher; the laptop is used by one pupil in 6B.').waitFor();
  check(true, 'a dated note is added and shown');

  await moveTo(page, 'Action taken');
  await page.getByLabel('What was done').fill('Met the pupil and parents; referral to the school counsellor; safety plan agreed.');
  await page.getByRole('button', { name: 'Record the intervention' }).click();
  await page.getByRole('status').filter({ hasText: 'The intervention is recorded' }).waitFor();
  check((await page.getByLabel('What was done').inputValue()).startsWith('Met the pupil'), 'the intervention is recorded and shown');
  const facts = await page.locator('.facts').innerText();
  check(!facts.includes('Not reviewed yet'), `the time from capture to first review is now kept (${facts.replace(/\s+/g, ' ')})`);

  await moveTo(page, 'Closed');
  const history = await page.getByRole('heading', { name: 'History' }).locator('..').innerText();
  for (const line of ['opened', 'status: new → in review', 'assigned to a.patel', 'sealed note 1 added', 'status: in review → action taken',
    'intervention recorded (sealed)', 'status: action taken → closed']) {
    check(history.includes(line), `the history shows "${line}"`);
  }
  check(history.includes('a.patel'), 'the history says who made each change');
  await shots(page, 'incident-detail');

  await page.getByRole('link', { name: '← All incidents' }).click();
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
  const row = page.locator('tbody tr', { hasText: 'Searches about suicide' });
  await row.waitFor();
  const rowText = await row.innerText();
  check(rowText.includes('Closed') && rowText.includes('a.patel'), `the list shows the incident's status and who follows it up (${rowText.replace(/\s+/g, ' ')})`);
  await page.getByLabel('Show').selectOption('open');
  await page.getByText('No incident has this status').waitFor();
  check(true, 'filtering by status "open" leaves out the closed incident');
  await page.getByLabel('Show').selectOption('closed');
  await row.waitFor();
  await shots(page, 'incidents-list');
  return id;
}

async function technicianJourney(page, base, id) {
  await page.getByRole('button', { name: 'Sign out' }).click().catch(() => {});
  await signIn(page, base, 't.tech');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  check((await nav.getByRole('link', { name: 'Incidents', exact: true }).count()) === 0, 'the technician has no Incidents page');
  const session = await apiSignIn(base, 't.tech');
  const list = await call(base, 'GET', '/api/incidents', undefined, session);
  check(list.status === 403 && !list.body.includes('Searches about suicide'), `the technician cannot list incidents (${list.status})`);
  const one = await call(base, 'GET', `/api/incidents/${id}`, undefined, session);
  check(one.status === 403, `the technician cannot open an incident (${one.status})`);
}

run(async () => {
  const box = await startBox();
  try {
    await setUpThroughApi(box);
    await addTechnician(box.dataDir);
    const session = await apiSignIn(box.base, HEADTEACHER.username, PASSWORD);
    const captureId = await plantedCapture(box.base, session);
    await withBrowser(async (page) => {
      await signIn(page, box.base, HEADTEACHER.username);
      const id = await incidentJourney(page, box.base, captureId);
      const audit = await call(box.base, 'GET', '/api/audit?limit=200', undefined, session);
      if (audit.status === 200) check(audit.body.includes('incident_view'), 'opening the incident is in the audit log');
      await technicianJourney(page, box.base, id);
    });
  } finally {
    await box.stop();
  }
});
