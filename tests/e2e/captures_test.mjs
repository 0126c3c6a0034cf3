// The dashboard and reviewing a capture (issue 6 items 3 and 4), in a real browser over
// the sample replay: the headteacher lands on the dashboard, follows "Review captures"
// to the filtered list, narrows it to suicide (the filters are in the address, so the
// view survives a reload and can be bookmarked), opens the planted suicide search, sees
// the phrase marked in its context, downloads the packets as a pcap (an audited
// export), marks it reviewed and then a false alarm with a one-click exception for the
// school's library. With two pupils imported and the replay's devices given to them, the
// group and person pickers narrow the list to one pupil's captures. The incidents test
// continues from a capture (opening incidents from one and from several).
// A staff viewer sees the dashboard's figures, without names, evidence or captures.
//
// run.sh passes: --hallmonitor BIN --pcap FILE --chromium BIN --work DIR --modules DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addUser, apiSignIn, call, check, HEADTEACHER, openPage, PASSWORD, run, setUpThroughApi, shots, signIn, startBox,
  withBrowser, work,
} from './harness.mjs';

// Every capture of the replay, through the API (the list's pages, newest first).
async function allCaptures(base, session) {
  const captures = [];
  let next = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const answer = await call(base, 'GET', `/api/captures?limit=200${next ? `&before=${next}` : ''}`, undefined, session);
    if (answer.status !== 200) throw new Error(`the captures list answered ${answer.status}`);
    captures.push(...answer.json.captures);
    next = answer.json.next;
    if (!next) break;
  }
  return captures;
}

// Two pupils, each given one device the replay saw (from before the recording, so its
// captures fall inside the assignment), and a class group holding the first: what the
// People page's own test does through the browser, here through the API.
async function addPupils(base, session) {
  // The replay may still be running just after the web UI answers.
  let captures = [];
  for (let tries = 0; tries < 60 && !captures.some((capture) => capture.phrase.includes('kill myself')); tries += 1) {
    if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    captures = await allCaptures(base, session);
  }
  const planted = captures.find((capture) => capture.phrase.includes('kill myself'));
  const other = captures.find((capture) => capture.device.mac && capture.device.mac !== planted?.device.mac);
  if (!planted?.device.mac || !other) throw new Error('the replay has no two devices with captures and MAC addresses');
  const csv = 'UPN,Legal Surname,Legal Forename,Year,Reg Group\r\nB200,Lovelace,Ada,Year 6,6B\r\nB201,Turing,Alan,Year 5,5A\r\n';
  const imported = await call(base, 'POST', '/api/people/import', { csv, columns: null }, session);
  if (imported.status !== 200) throw new Error(`the import answered ${imported.status} ${imported.body}`);
  const people = (await call(base, 'GET', '/api/people', undefined, session)).json.people;
  const ada = people.find((person) => person.name === 'Ada Lovelace');
  const alan = people.find((person) => person.name === 'Alan Turing');
  for (const [mac, person] of [[planted.device.mac, ada], [other.device.mac, alan]]) {
    const assigned = await call(base, 'PUT', `/api/devices/${mac}/assignment`, { person_id: person.id, from_us: 1 }, session);
    if (assigned.status !== 200) throw new Error(`assigning ${mac} answered ${assigned.status} ${assigned.body}`);
  }
  const group = await call(base, 'POST', '/api/groups', { name: 'Class 6B', kind: 'class' }, session);
  if (![200, 201].includes(group.status)) throw new Error(`making the group answered ${group.status} ${group.body}`);
  const member = await call(base, 'PUT', `/api/groups/${group.json.id}/members/${ada.id}`, {}, session);
  if (member.status !== 200) throw new Error(`adding Ada to the group answered ${member.status} ${member.body}`);
  return { adaMac: planted.device.mac, alanMac: other.device.mac, groupId: group.json.id };
}

async function auditActions(base, session) {
  const answer = await call(base, 'GET', '/api/audit?limit=200', undefined, session);
  return answer.status === 200 ? JSON.stringify(answer.json) : null;
}

async function dashboardJourney(page) {
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  check(new URL(page.url()).pathname === '/dashboard', 'after signing in the headteacher lands on the dashboard');
  const wrong = await page.locator('.answer').first().innerText();
  check(/serious concerns? needs? review/.test(wrong), `the dashboard says serious concerns wait for review (${wrong.replace(/\s+/g, ' ')})`);
  const working = await page.locator('.answer').nth(1).innerText();
  check(working.includes('Is the box working?'), 'the dashboard answers whether the box is working');
  // The box replays the sample: "today" is the recording's day, and the page says so.
  check(await page.getByRole('note').filter({ hasText: 'Test mode: the box is reading a recording' }).isVisible(),
    'the dashboard says it shows a recording, as of its end');
  const today = await page.getByRole('heading', { name: /^Concerns today: / }).innerText();
  check(today !== 'Concerns today: 0', `the recording's captures count as today's (${today})`);
  const week = await page.getByRole('list', { name: 'Concerns this week by severity' }).innerText();
  check(week.includes('Critical'), 'concerns by severity are charted with words, not colour alone');
  check((await page.getByText("The box's health").count()) === 1, 'the box health card is shown');
  await shots(page, 'dashboard');
}

async function listJourney(page, base) {
  await page.getByRole('link', { name: 'Review captures' }).click();
  await page.getByRole('heading', { name: 'Captures' }).waitFor();
  check(new URL(page.url()).search === '?status=new', `"Review captures" opens the list of captures needing review (${page.url()})`);
  check((await page.getByLabel('Status').inputValue()) === 'new', 'the status filter shows "Needs review"');
  await page.locator('tbody tr').first().waitFor();

  await page.getByLabel('Category').selectOption('suicide');
  await page.getByRole('button', { name: 'Show captures' }).click();
  await page.waitForURL(/category=suicide/);
  await page.locator('tbody tr', { hasText: 'how to kill myself' }).first().waitFor();
  const categories = await page.locator('tbody td[data-label="Category"]').allInnerTexts();
  check(categories.length > 0 && categories.every((text) => text === 'Suicide'), `the category filter leaves only suicide captures (${categories.length})`);

  // The filtered view survives a reload: it is in the address.
  await page.reload();
  await page.getByRole('heading', { name: 'Captures' }).waitFor();
  await page.locator('tbody tr', { hasText: 'how to kill myself' }).first().waitFor();
  check((await page.getByLabel('Category').inputValue()) === 'suicide' && (await page.getByLabel('Status').inputValue()) === 'new',
    'after a reload the filters are still set (the view can be bookmarked)');
  await shots(page, 'captures-filtered');

  // A filter with nothing in it says so.
  await page.goto(`${base}/captures?category=suicide&status=false_positive`);
  await page.getByRole('heading', { name: 'No captures match these filters' }).waitFor();
  check(true, 'a filter that matches nothing says so in plain words');
  await page.goto(`${base}/captures?status=new&category=suicide`);
}

// The device column's MAC addresses of the rows shown.
async function shownMacs(page) {
  return page.locator('tbody td[data-label="Device"] .device-mac').allInnerTexts();
}

// The group and person filters are pickers of the school's groups and people (names, so
// only for roles that see them), and the address keeps ids, never names.
async function pickerJourney(page, base, pupils) {
  await page.goto(`${base}/captures`);
  await page.getByRole('heading', { name: 'Captures' }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  const everyone = new Set(await shownMacs(page));
  check(everyone.has(pupils.adaMac) && everyone.has(pupils.alanMac), 'unfiltered, both pupils\' devices have captures in the list');

  const group = page.getByLabel('Group', { exact: true });
  await page.locator('#filter-group option', { hasText: 'Class 6B' }).waitFor({ state: 'attached' });
  const classLabel = await group.locator('optgroup', { has: page.locator('option', { hasText: 'Class 6B' }) }).getAttribute('label');
  check(classLabel === 'Class', `the groups are listed under their kind (${classLabel})`);
  await group.selectOption({ label: 'Class 6B' });
  await page.getByRole('button', { name: 'Show captures' }).click();
  await page.waitForURL(new RegExp(`[?&]group=${pupils.groupId}(&|$)`));
  await page.locator('tbody tr').first().waitFor();
  await page.waitForFunction((mac) => [...document.querySelectorAll('tbody td[data-label="Device"] .device-mac')]
    .every((cell) => cell.textContent === mac), pupils.adaMac);
  const inGroup = await shownMacs(page);
  check(inGroup.length > 0 && inGroup.every((mac) => mac === pupils.adaMac),
    `the group picker leaves only the captures of Class 6B's pupil's device (${inGroup.length})`);
  check(!page.url().includes('Lovelace') && !page.url().includes('6B'), 'the address holds the group\'s id, not its name');
  await shots(page, 'captures-group-picker');

  // The person picker: a list to type into; the name chosen becomes the person's id.
  await group.selectOption('');
  const person = page.getByLabel('Person', { exact: true });
  await person.click();
  await page.locator('#filter-person-choices option[value="Alan Turing (5A)"]').waitFor({ state: 'attached' });
  await person.fill('Alan Turing (5A)');
  await page.getByRole('button', { name: 'Show captures' }).click();
  await page.waitForURL(/[?&]person=\d+/);
  await page.waitForFunction((mac) => {
    const cells = [...document.querySelectorAll('tbody td[data-label="Device"] .device-mac')];
    return cells.length > 0 && cells.every((cell) => cell.textContent === mac);
  }, pupils.alanMac);
  check(true, "choosing Alan Turing in the person picker leaves only his device's captures");
  check(!new URL(page.url()).search.includes('group='), 'emptying the group picker drops the group filter');
  await page.reload();
  await page.getByRole('heading', { name: 'Captures' }).waitFor();
  await page.waitForFunction(() => document.getElementById('filter-person')?.value === 'Alan Turing (5A)');
  check(true, 'after a reload the person picker shows the name again (from the id in the address)');

  // A name that is nobody's is refused in plain words, and the list is left as it was.
  await person.fill('Nobody Atall');
  await page.getByRole('button', { name: 'Show captures' }).click();
  const refused = await page.getByRole('alert').innerText();
  check(refused.includes('Nobody in the school\'s list is called "Nobody Atall"'), `a name not in the list is refused (${refused})`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL((url) => url.pathname === '/captures' && url.search === '');
  check((await person.inputValue()) === '', 'clearing the filters empties the person picker');
}

async function detailJourney(page, base, session) {
  await page.locator('tbody tr', { hasText: 'how to kill myself' }).first().getByRole('link').click();
  await page.getByRole('heading', { name: 'Suicide capture' }).waitFor();
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  check(id > 0, `the capture opens at /captures/${id}`);
  const marked = await page.locator('.evidence mark').innerText();
  check(marked.toLowerCase().replace(/[^a-z]+/g, ' ').trim() === 'how to kill myself',
    `the phrase is marked in its context (${marked})`);
  const facts = await page.locator('.detail-main').innerText();
  check(facts.includes('www.google.com'), 'the site is shown');
  const device = await page.locator('.card', { hasText: 'IP address' }).first().innerText();
  check(device.includes('10.20.16.29'), 'the device is shown with its IP address');
  check((await page.getByText('Who had it then').count()) === 1, 'the headteacher (see_people) is told who had the device');

  // Opening it was audited; the detail answer names it.
  const audit = await auditActions(base, session);
  if (audit !== null) check(audit.includes('evidence_view') && audit.includes(`capture ${id}`), 'opening the capture is in the audit log');

  // The packets, as a pcap for Wireshark: magic bytes, and an audited export. The
  // planted search always has its frame: the pipeline seals the frame being inspected
  // with each capture (app/pipeline.cpp), and the search is a one-segment HTTP request,
  // matched while its packet is inspected (not at the end-of-replay flush, which has no
  // frame to give).
  const download = page.getByRole('link', { name: 'Download the packets (pcap)' });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const path = join(work, 'capture.pcap');
  await file.saveAs(path);
  const bytes = readFileSync(path);
  check(bytes.length > 40 && bytes.readUInt32LE(0) === 0xa1b2c3d4 && bytes.readUInt32LE(20) === 1,
    `the download is a pcap file of Ethernet frames (${bytes.length} bytes)`);
  const frame = bytes.subarray(40).toString('latin1');
  check(frame.includes('GET ') && frame.toLowerCase().includes('kill+myself'), 'the frame in it is the planted search request');
  const after = await auditActions(base, session);
  check(after !== null && after.includes('evidence_export'), 'the download is in the audit log as an export');
  await shots(page, 'capture-detail');

  await page.getByRole('button', { name: 'Mark reviewed' }).click();
  await page.getByText('Marked as reviewed.').waitFor();
  check((await page.getByText(/^First reviewed /).count()) === 1, 'the time of the first review is shown');

  await page.getByRole('button', { name: 'Mark as a false alarm' }).click();
  await page.getByText('Marked as a false alarm.').waitFor();
  await page.getByRole('heading', { name: 'Stop this being flagged again?' }).waitFor();
  await page.getByLabel('Words that are harmless').fill('how to kill myself in minecraft');
  await page.getByRole('button', { name: "Add as an exception to the school's library" }).click();
  await page.getByText('will not be flagged again').waitFor({ timeout: 60000 });
  const library = await call(base, 'GET', '/api/library', undefined, session);
  const entries = library.json?.school?.entries ?? [];
  check(entries.some((entry) => entry.pattern === 'how to kill myself in minecraft' && entry.kind === 'exception' && entry.category === 'suicide'),
    "the exception is in the school's own words");
  await shots(page, 'capture-false-alarm');

  // Back in the list, the capture is a false alarm now.
  await page.goto(`${base}/captures?status=false_positive`);
  await page.locator(`a[href="/captures/${id}"]`).waitFor();
  check(true, 'the capture is listed under "False alarm"');
  return id;
}

async function viewerJourney(page, base, id) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await signIn(page, base, 's.viewer');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Pages' });
  check((await nav.getByRole('link', { name: 'Captures', exact: true }).count()) === 0, 'the viewer has no Captures page');
  check((await page.getByRole('link', { name: 'Review captures' }).count()) === 0, 'the viewer is not offered captures to review');
  const text = await page.locator('main').innerText();
  check(!text.includes('how to kill myself') && !text.includes('Anita Patel') && !text.includes('Lovelace') && !text.includes('Turing'),
    'the viewer sees no phrase, evidence or names');
  await shots(page, 'dashboard-viewer');
  const session = await apiSignIn(base, 's.viewer');
  const detail = await call(base, 'GET', `/api/captures/${id}`, undefined, session);
  check(detail.status === 403, `the viewer cannot open a capture (${detail.status})`);
}

run(async () => {
  const box = await startBox();
  try {
    await setUpThroughApi(box);
    const session = await apiSignIn(box.base, HEADTEACHER.username, PASSWORD);
    await addUser(box.base, session, { username: 's.viewer', display_name: 'Sam Viewer', role: 'viewer' });
    const pupils = await addPupils(box.base, session);
    await withBrowser(async (page) => {
      await signIn(page, box.base, HEADTEACHER.username);
      await dashboardJourney(page);
      await listJourney(page, box.base);
      await pickerJourney(page, box.base, pupils);
      await page.goto(`${box.base}/captures?status=new&category=suicide`);
      const id = await detailJourney(page, box.base, session);
      await openPage(page, 'Dashboard');
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await viewerJourney(page, box.base, id);
    });
  } finally {
    await box.stop();
  }
});
