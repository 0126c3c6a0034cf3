// Incidents (issue 6 item 5), in a real browser over the sample replay: the headteacher
// opens an incident from the planted suicide capture with its page's "Open an incident"
// button, moves it through in review → action taken (with a dated note and the
// intervention recorded) → closed, and reads its history; the list shows it with its
// status, age and time to first review; the capture's page then leads to that incident
// instead. From the captures list the headteacher ticks two other captures and opens
// one incident from both. A technician has no Incidents page and the API refuses them.
//
// run.sh passes: --hallmonitor BIN --pcap FILE --chromium BIN --work DIR --modules DIR
import {
  addUser, apiSignIn, call, check, HEADTEACHER, PASSWORD, run, setUpThroughApi, shots, signIn, startBox, withBrowser,
} from './harness.mjs';

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

async function incidentJourney(page, base, session, captureId) {
  await page.goto(`${base}/incidents`);
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
  await page.getByText('No incident has been opened yet').waitFor();
  check(true, 'before any incident the list says how to open one');

  // The capture's page offers the next step, which names the capture to the new incident.
  await page.goto(`${base}/captures/${captureId}`);
  await page.getByRole('heading', { name: 'Suicide capture' }).waitFor();
  await page.getByRole('link', { name: 'Open an incident' }).click();
  await page.getByRole('heading', { name: 'Open an incident' }).waitFor();
  const address = new URL(page.url());
  check(address.pathname === '/incidents/new' && address.searchParams.get('captures') === String(captureId),
    `the capture's "Open an incident" leads to a new incident from it (${address.pathname}${address.search})`);
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
  await printJourney(page, base, session, id);

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

  // The capture is part of an incident now: its page leads there instead of offering
  // to open another.
  await page.goto(`${base}/captures/${captureId}`);
  await page.getByRole('heading', { name: 'Suicide capture' }).waitFor();
  check((await page.getByRole('link', { name: 'Open an incident' }).count()) === 0,
    'a capture already in an incident does not offer to open another');
  await page.getByText('part of an incident that is now closed').waitFor();
  await shots(page, 'capture-in-incident');
  await page.getByRole('link', { name: `Go to incident ${id}` }).click();
  await page.getByRole('heading', { name: 'Searches about suicide on a Year 6 laptop' }).waitFor();
  check(new URL(page.url()).pathname === `/incidents/${id}`, `the capture's page links to its incident (${page.url()})`);
  return id;
}

// Two captures about the same concern, ticked in the list, become one incident.
async function severalCapturesJourney(page, base, session, plantedId) {
  await page.goto(`${base}/captures?status=new`);
  await page.getByRole('heading', { name: 'Captures' }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  await page.getByText('Tick them to open one incident from them').waitFor();
  const rows = page.locator('tbody tr').filter({ hasNot: page.locator(`a[href="/captures/${plantedId}"]`) });
  check((await rows.count()) >= 2, `at least two other captures need review (${await rows.count()})`);
  const ids = [];
  for (const row of [rows.nth(0), rows.nth(1)]) {
    const href = await row.locator('a[href^="/captures/"]').getAttribute('href');
    ids.push(Number(href.split('/').pop()));
    await row.getByRole('checkbox').check();
  }
  await page.getByRole('status').filter({ hasText: '2 captures ticked.' }).waitFor();
  check(true, 'ticking two captures says how many are ticked');
  // Untick and tick again with the keyboard: the tick boxes are ordinary controls.
  await rows.nth(1).getByRole('checkbox').press('Space');
  await page.getByRole('status').filter({ hasText: '1 capture ticked.' }).waitFor();
  await rows.nth(1).getByRole('checkbox').press('Space');
  await page.getByRole('status').filter({ hasText: '2 captures ticked.' }).waitFor();
  check(true, 'a capture is ticked and unticked with the keyboard');
  await shots(page, 'captures-ticked');

  await page.getByRole('link', { name: 'Open an incident from these 2' }).click();
  await page.getByRole('heading', { name: 'Open an incident' }).waitFor();
  const named = new URL(page.url()).searchParams.get('captures');
  check(named === ids.join(','), `the new incident is opened from both ticked captures (${named})`);
  await page.locator('.incident-captures li').nth(1).waitFor();
  check((await page.locator('.incident-captures li').count()) === 2, 'the form lists both captures');
  await page.getByLabel('Title').fill('Two searches from the same class');
  await page.getByRole('button', { name: 'Open the incident' }).click();
  await page.getByRole('heading', { name: 'Two searches from the same class' }).waitFor();
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const detail = await call(base, 'GET', `/api/incidents/${id}`, undefined, session);
  const held = (detail.json?.capture_list ?? []).map((capture) => capture.id).sort((a, b) => a - b);
  check(JSON.stringify(held) === JSON.stringify([...ids].sort((a, b) => a - b)), `the incident holds both captures (${held.join(', ')})`);
  for (const captureId of ids) {
    check((await page.locator(`.card a[href="/captures/${captureId}"]`).count()) === 1, `the incident's page links to capture ${captureId}`);
  }
  // A capture nobody has marked reviewed, but that is in an incident, says so.
  const unmarked = Math.max(...ids);
  await page.goto(`${base}/captures/${unmarked}`);
  const review = page.getByRole('heading', { name: 'Review' }).locator('..');
  await review.waitFor();
  const reviewText = await review.innerText();
  check(reviewText.includes(`part of incident ${id}`) && !reviewText.includes('Nobody has reviewed'),
    `an unreviewed capture in an incident names the incident (${reviewText.replace(/\s+/g, ' ').slice(0, 140)})`);
}

// Printing the record (or saving it as a PDF): the box writes it to the audit log,
// then the browser's print dialog opens (stubbed here: a headless browser has none).
async function printJourney(page, base, session, id) {
  await page.evaluate(() => {
    window.__printed = 0;
    window.print = () => {
      window.__printed += 1;
    };
  });
  await page.getByRole('button', { name: 'Print or save as PDF' }).click();
  await page.waitForFunction(() => window.__printed === 1);
  check(true, 'the button opens the print dialog');
  const audit = await call(base, 'GET', '/api/audit?action=incident_export&limit=50', undefined, session);
  check(audit.status === 200 && audit.body.includes('incident_export') && audit.body.includes(`incident ${id}: printed record`),
    `printing the record is in the audit log (${audit.status})`);

  await page.emulateMedia({ media: 'print' });
  try {
    const shown = async (selector) => page.locator(selector).first().isVisible();
    check(!(await shown('.masthead')) && !(await shown('form')) && !(await shown('button')),
      'the printed record has no masthead, forms or buttons');
    const printed = await page.locator('main').innerText();
    for (const words of ['Oakfield Primary School', 'Searches about suicide on a Year 6 laptop', 'Closed', 'Met the pupil and parents', 'Spoke to the class teacher',
      'status: action taken → closed', 'Suicide']) {
      check(printed.includes(words), `the printed record shows "${words}"`);
    }
    // "Save as PDF": what Chromium writes from the same print layout.
    const pdf = await page.pdf({ format: 'A4' });
    check(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 10_000,
      `the record saves as a PDF from the print layout (${pdf.length} bytes)`);
    await shots(page, 'incident-printed');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
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
    const session = await apiSignIn(box.base, HEADTEACHER.username, PASSWORD);
    await addUser(box.base, session, { username: 't.tech', display_name: 'Terry Tech', role: 'technician' });
    const named = await call(box.base, 'PUT', '/api/settings/school', { school_name: 'Oakfield Primary School' }, session);
    if (named.status !== 200) throw new Error(`naming the school failed: ${named.status} ${named.body}`);
    const captureId = await plantedCapture(box.base, session);
    await withBrowser(async (page) => {
      await signIn(page, box.base, HEADTEACHER.username);
      const id = await incidentJourney(page, box.base, session, captureId);
      await severalCapturesJourney(page, box.base, session, captureId);
      const audit = await call(box.base, 'GET', '/api/audit?limit=200', undefined, session);
      if (audit.status === 200) check(audit.body.includes('incident_view'), 'opening the incident is in the audit log');
      await technicianJourney(page, box.base, id);
    });
  } finally {
    await box.stop();
  }
});
