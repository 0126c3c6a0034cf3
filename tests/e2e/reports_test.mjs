// Reports (issue 7 items 3–4), in a real browser over the sample replay: the headteacher
// opens the Reports page, makes a report of the sample's recording week, sees it at the
// top of the list and downloads it; downloads the copy with pupils' names, the inspection
// evidence pack and the classroom poster; records the annual review and sees when; and a
// last day before the first day is refused with the box's plain message beside the form.
// Every download is a PDF, and the kept report's download is in the audit log. A
// technician has no Reports page and the API refuses them.
//
// run.sh passes: --hallmonitor BIN --pcap FILE --chromium BIN --work DIR --modules DIR
import { readFileSync } from 'node:fs';
import {
  addUser, apiSignIn, call, check, HEADTEACHER, PASSWORD, run, setUpThroughApi, shots, signIn, startBox, withBrowser,
} from './harness.mjs';

// The sample's captures are from the week of Monday 2 March 2026.
const FIRST_DAY = '2026-03-02';
const LAST_DAY = '2026-03-08';
const PERIOD_WORDS = '2 Mar – 8 Mar 2026';

// Clicks `link` and waits for the file it downloads; checks it is a PDF.
async function downloadPdf(page, link, what) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), link.click()]);
  const bytes = readFileSync(await download.path());
  check(bytes.subarray(0, 5).toString() === '%PDF-' && bytes.length > 1000,
    `${what} downloads as a PDF (${download.suggestedFilename()}, ${bytes.length} bytes)`);
  return download.suggestedFilename();
}

async function reportsJourney(page, base, session) {
  await page.goto(`${base}/reports`);
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Reports kept on the box' }).waitFor();
  const intro = await page.getByRole('heading', { name: 'Reports kept on the box' }).locator('..').innerText();
  check(intro.includes('Every Monday at 07:00') && intro.includes('emailed as a PDF to the DSL'),
    `the page says what is made by itself and who it is emailed to (${intro.replace(/\s+/g, ' ').slice(24, 120)}…)`);
  check((await page.getByRole('link', { name: "Alerts page's settings" }).getAttribute('href')) === '/alerts',
    'it links to the Alerts settings where the term dates are set');
  const listed = await call(base, 'GET', '/api/reports', undefined, session);
  check(listed.status === 200, `GET /api/reports answers (${listed.status})`);
  if (listed.json?.reports?.length === 0) {
    await page.getByText('No report has been made yet').waitFor();
    check(true, 'before any report the list says when the first comes');
  }
  await shots(page, 'reports-empty');

  // A report of the recording week, for staff.
  const form = page.getByRole('form', { name: 'Make a report' });
  await form.getByLabel('First day').fill(FIRST_DAY);
  await form.getByLabel('Last day').fill(LAST_DAY);
  await form.getByLabel(/^Staff/).check();
  await form.getByRole('button', { name: 'Make the report' }).click();
  await page.getByRole('status').filter({ hasText: 'is made' }).waitFor({ timeout: 60000 });
  check(true, 'making the report says it is made');
  const first = page.locator('.report-list li').first();
  await first.waitFor();
  const firstText = await first.innerText();
  check(firstText.includes(PERIOD_WORDS) && firstText.includes('by a.patel') && /\d+ (KB|MB)/.test(firstText),
    `the new report is at the top of the list with its period, who made it and its size (${firstText.replace(/\s+/g, ' ')})`);
  const reportLink = first.getByRole('link', { name: /^Download PDF/ });
  check((await reportLink.getAttribute('download')) !== null, 'the report is offered as a download');
  await downloadPdf(page, reportLink, 'the kept report');
  const audit = await call(base, 'GET', '/api/audit?action=report_download&limit=50', undefined, session);
  check(audit.status === 200 && audit.body.includes('report_download'), `the report's download is in the audit log (${audit.status})`);

  // The DSL's own copy with names, for the same period: made now, not kept.
  const named = page.getByRole('link', { name: "Download a copy with pupils' names" });
  const href = await named.getAttribute('href');
  check(href.includes(`first_day=${FIRST_DAY}`) && href.includes(`last_day=${LAST_DAY}`), `the copy with names is for the same period (${href})`);
  await downloadPdf(page, named, 'the copy with pupils\' names');
  const after = await call(base, 'GET', '/api/reports', undefined, session);
  check(after.json?.reports?.length === listed.json.reports.length + 1, 'the copy with names is not kept');

  // The inspection evidence pack and the notices.
  await downloadPdf(page, page.getByRole('link', { name: 'Download the inspection evidence pack (PDF)' }), 'the inspection evidence pack');
  await downloadPdf(page, page.getByRole('link', { name: 'Classroom poster (PDF)' }), 'the classroom poster');
  await downloadPdf(page, page.getByRole('link', { name: 'Acceptable-use statement (PDF)' }), 'the acceptable-use statement');

  // The annual review.
  await page.getByText('Not recorded yet.').waitFor();
  check(true, 'before it is recorded the annual review says so');
  await page.getByLabel('Note (optional)').fill('Headteacher, DSL and the IT technician reviewed the filtering and monitoring.');
  await page.getByRole('button', { name: 'Record that we did our annual review today' }).click();
  await page.getByRole('status').filter({ hasText: 'Your annual review is recorded.' }).waitFor();
  await page.getByText('Last recorded:').waitFor();
  check(true, 'recording the annual review shows when it was last recorded');
  await shots(page, 'reports');

  // It stays recorded after the page is opened again.
  await page.reload();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  await page.getByText('Last recorded:').waitFor({ timeout: 5000 }).then(
    () => check(true, 'the annual review is still shown when the page is opened again'),
    () => check(false, 'the annual review is still shown when the page is opened again (GET /api/reports has annual_review)'),
  );

  // A last day before the first is refused beside the form, in the box's words.
  const again = page.getByRole('form', { name: 'Make a report' });
  await again.getByLabel('First day').fill(LAST_DAY);
  await again.getByLabel('Last day').fill(FIRST_DAY);
  await again.getByRole('button', { name: 'Make the report' }).click();
  const refusal = again.getByRole('alert');
  await refusal.waitFor();
  const refusalText = await refusal.innerText();
  check(refusalText.includes('last day comes before the first day'), `a last day before the first is refused beside the form (${refusalText})`);
  check((await page.getByRole('link', { name: "Download a copy with pupils' names" }).count()) === 0,
    'the copy with names is not offered for a period the box would refuse');
  await shots(page, 'reports-refused');
}

async function technicianJourney(page, base) {
  await page.getByRole('button', { name: 'Sign out' }).click().catch(() => {});
  await signIn(page, base, 't.tech');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  check((await nav.getByRole('link', { name: 'Reports', exact: true }).count()) === 0, 'the technician has no Reports page');
  const session = await apiSignIn(base, 't.tech');
  const list = await call(base, 'GET', '/api/reports', undefined, session);
  check(list.status === 403, `the technician cannot list reports (${list.status})`);
  const pack = await call(base, 'GET', '/api/reports/evidence-pack.pdf', undefined, session);
  check(pack.status === 403, `the technician cannot download the evidence pack (${pack.status})`);
}

run(async () => {
  const box = await startBox();
  try {
    await setUpThroughApi(box);
    const session = await apiSignIn(box.base, HEADTEACHER.username, PASSWORD);
    await addUser(box.base, session, { username: 't.tech', display_name: 'Terry Tech', role: 'technician' });
    const named = await call(box.base, 'PUT', '/api/settings/school', { school_name: 'Oakfield Primary School' }, session);
    if (named.status !== 200) throw new Error(`naming the school failed: ${named.status} ${named.body}`);
    await withBrowser(async (page) => {
      await signIn(page, box.base, HEADTEACHER.username);
      const nav = page.getByRole('navigation', { name: 'Pages' });
      check((await nav.getByRole('link', { name: 'Reports', exact: true }).count()) === 1, 'the headteacher has a Reports page');
      await reportsJourney(page, box.base, session);
      await technicianJourney(page, box.base);
    });
  } finally {
    await box.stop();
  }
});
