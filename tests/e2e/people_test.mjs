// People, devices and groups (issue 6 item 6), in a real browser over the sample
// replay: the headteacher imports pupils from a CSV with a bad row (the row's problem
// is shown in plain words and the good rows import), assigns a device the box saw to a
// pupil, and makes a "vulnerable / high-risk" group with an age profile. A technician
// has no People page, and the API gives them no name.
//
// run.sh passes: --hallmonitor BIN --pcap FILE --chromium BIN --work DIR --modules DIR
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiSignIn, call, check, HEADTEACHER, openPage, run, setUpThroughApi, shots, signIn, startBox, withBrowser } from './harness.mjs';

// As exported from a school information system; line 4 has a device that is neither a
// MAC address nor a host name.
const EXPORT = [
  'UPN,Legal Surname,Legal Forename,Year,Reg Group,Device MAC',
  'A100,Lovelace,Ada,Year 4,4B,',
  'A101,Turing,Alan,Year 5,5A,',
  'A102,Hopper,Grace,Year 5,5A,aa:bb:cc:dd:ee:zz',
  'A103,Noether,Emmy,Year 6,6C,',
  '',
].join('\r\n');

async function addTechnician(dataDir) {
  await promisify(execFile)('sqlite3', [
    join(dataDir, 'hallmonitor.db'),
    "INSERT INTO users (username, display_name, role, password_salt, password_hash, password_iterations, created_us, password_scheme) " +
      "SELECT 't.tech', 'Terry Tech', 'technician', password_salt, password_hash, password_iterations, created_us, password_scheme " +
      "FROM users WHERE username = 'a.patel';",
  ]);
}

async function importJourney(page) {
  await openPage(page, 'People');
  await page.getByRole('heading', { name: 'People, devices and groups' }).waitFor();
  await page.getByText('Nobody has been imported yet').waitFor();
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'pupils.csv', mimeType: 'text/csv', buffer: Buffer.from(EXPORT) });
  await page.getByRole('heading', { name: 'What will be imported' }).waitFor();
  const summary = await page.locator('.preview-summary').innerText();
  check(summary.includes('3 rows are ready to import') && summary.includes('1 row has a problem'), `the preview counts good and bad rows (${summary})`);
  const bad = page.locator('tr.row-problem');
  check((await bad.count()) === 1, 'one row is marked as a problem');
  const badText = await bad.innerText();
  check(badText.includes('4') && badText.includes('"aa:bb:cc:dd:ee:zz" is neither a MAC address'), `the bad row says what is wrong, in plain words (${badText.replace(/\s+/g, ' ')})`);
  check((await page.getByLabel('Year group', { exact: true }).inputValue()) !== '' && (await page.getByLabel('UPN', { exact: true }).inputValue()) !== '', 'the columns were recognised from the header');
  check((await page.locator('.preview-table').innerText()).includes('Ada Lovelace'), 'the preview joins forename and surname');
  await page.getByRole('heading', { name: 'What will be imported' }).scrollIntoViewIfNeeded();
  await shots(page, 'people-csv-preview');

  await page.getByRole('button', { name: 'Import 3 people' }).click();
  await page.getByRole('status').filter({ hasText: '3 people were imported; 1 row was left out' }).waitFor();
  const people = await page.locator('section[aria-labelledby="people-list-heading"]').innerText();
  check(people.includes('Ada Lovelace') && people.includes('Emmy Noether') && !people.includes('Grace Hopper'),
    'the good rows are imported and the bad one is not');
  check(people.includes('Year 4') && people.includes('4B'), 'year group and class are shown');
}

async function deviceJourney(page) {
  const devices = page.locator('section[aria-labelledby="devices-heading"] tbody tr');
  await devices.first().waitFor();
  check((await devices.count()) > 0, `the devices seen in the replay are listed (${await devices.count()})`);
  const mac = await page.getByLabel('Device', { exact: true }).inputValue();
  await page.getByLabel('To', { exact: true }).selectOption({ label: 'Ada Lovelace (4B)' });
  await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'is now assigned to Ada Lovelace' }).waitFor();
  const row = page.locator('section[aria-labelledby="devices-heading"] tbody tr', { hasText: mac });
  check((await row.innerText()).includes('Ada Lovelace'), `device ${mac} now shows Ada Lovelace as who has it`);
  const person = page.locator('section[aria-labelledby="people-list-heading"] tbody tr', { hasText: 'Ada Lovelace' });
  check((await person.innerText()).includes(mac), "Ada's row lists the device");
  return mac;
}

async function groupJourney(page) {
  await page.getByLabel('Name', { exact: true }).fill('Vulnerable / high-risk');
  await page.getByLabel('Kind', { exact: true }).selectOption('vulnerable');
  await page.getByRole('button', { name: 'Make the group' }).click();
  await page.getByRole('status').filter({ hasText: 'The group Vulnerable / high-risk is made' }).waitFor();
  const choice = page.getByLabel('Group', { exact: true });
  const value = await choice.locator('option', { hasText: 'Vulnerable / high-risk' }).getAttribute('value');
  await choice.selectOption(value);
  await page.getByRole('heading', { name: 'Age profile of Vulnerable / high-risk' }).waitFor();
  await page.getByLabel('Suicide', { exact: true }).selectOption('1');
  await page.getByLabel('Gambling', { exact: true }).selectOption('never');
  await page.getByRole('button', { name: 'Save the age profile' }).click();
  await page.getByRole('status').filter({ hasText: 'age profile of Vulnerable / high-risk is saved' }).waitFor();
  await page.getByLabel('Add someone').selectOption({ label: 'Emmy Noether' });
  await page.getByRole('button', { name: 'Add to the group' }).click();
  await page.getByRole('status').filter({ hasText: 'Emmy Noether joined' }).waitFor();

  // The profile is stored: it is still there after a reload.
  await page.reload();
  await page.getByRole('heading', { name: 'People, devices and groups' }).waitFor();
  await page.locator('section[aria-labelledby="people-list-heading"] tbody tr').first().waitFor();
  await page.getByLabel('Group', { exact: true }).selectOption(value);
  await page.getByRole('heading', { name: 'Age profile of Vulnerable / high-risk' }).waitFor();
  check((await page.getByLabel('Suicide', { exact: true }).inputValue()) === '1' && (await page.getByLabel('Gambling', { exact: true }).inputValue()) === 'never',
    'the age profile is kept: suicide alerts at any severity, gambling never');
  check((await page.locator('.member-list').innerText()).includes('Emmy Noether'), 'the group lists its member');
  await shots(page, 'people');
}

async function technicianJourney(page, base) {
  await page.getByRole('button', { name: 'Sign out' }).click().catch(() => {});
  await signIn(page, base, 't.tech');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  check((await nav.getByRole('link', { name: 'People', exact: true }).count()) === 0, 'the technician has no People page');
  const session = await apiSignIn(base, 't.tech');
  for (const path of ['/api/people', '/api/devices', '/api/groups']) {
    const answer = await call(base, 'GET', path, undefined, session);
    check(answer.status === 403 && !answer.body.includes('Lovelace'), `the technician gets no names from ${path} (${answer.status})`);
  }
}

run(async () => {
  const box = await startBox();
  try {
    await setUpThroughApi(box);
    await addTechnician(box.dataDir);
    await withBrowser(async (page) => {
      await signIn(page, box.base, HEADTEACHER.username);
      await importJourney(page);
      await deviceJourney(page);
      await groupJourney(page);
      await technicianJourney(page, box.base);
    });
    const session = await apiSignIn(box.base, HEADTEACHER.username);
    const audit = await call(box.base, 'GET', '/api/audit?limit=200', undefined, session);
    if (audit.status === 200) check(!audit.body.includes('Lovelace'), 'the audit log names nobody');
  } finally {
    await box.stop();
  }
});
