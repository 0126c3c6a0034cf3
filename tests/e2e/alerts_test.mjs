// Alerts (issue 7), in a real browser over the sample replay: the masthead counts the
// replay's severity-5 alert that waits for review; the headteacher adds a rule with a
// mistyped address (and is told which), puts it right and finds it listed in plain
// words; turns it off; saves the alert settings after a bad term-dates line; reads the
// alert email waiting to retry because no mail server is set (and why, at the top), and
// asks for it to be tried again. A technician has no Alerts page and the API refuses them.
//
// run.sh passes: --hallmonitor BIN --pcap FILE --chromium BIN --work DIR --modules DIR
import {
  addUser, apiSignIn, call, check, HEADTEACHER, run, setUpThroughApi, shots, signIn, startBox, withBrowser,
} from './harness.mjs';

// The replay's alert email, once the alerts have queued and tried it.
async function waitingEmail(base, session) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const answer = await call(base, 'GET', '/api/alerts/outbox', undefined, session);
    if (answer.status !== 200) throw new Error(`the outbox answered ${answer.status} ${answer.body}`);
    const found = answer.json.messages.find((message) => message.kind === 'alert' && message.state === 'retrying');
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no alert email is waiting to retry: ${answer.body}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function alertsJourney(page, base) {
  await signIn(page, base, HEADTEACHER.username);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  const link = nav.getByRole('link', { name: /^Alerts/ });
  await link.waitFor();
  const names = await nav.getByRole('link').evaluateAll((links) => links.map((a) => a.textContent));
  const incidents = names.findIndex((name) => name.startsWith('Incidents'));
  check(incidents >= 0 && names[incidents + 1]?.startsWith('Alerts'), `the masthead has Alerts after Incidents (${names.join(', ')})`);
  // Read out as "Alerts, 8 need review, …": the replay's alerts, none reviewed yet.
  const named = nav.getByRole('link', { name: /\d+ need review, emails are not being sent$/ });
  await named.waitFor();
  const snapshot = await nav.ariaSnapshot();
  console.log(`     masthead: ${snapshot.replace(/\s+/g, ' ')}`);
  check(/link "Alerts, \d+ need review, emails are not being sent"/.test(snapshot), 'the link is read as "Alerts, N need review, …"');
  const count = Number((await named.textContent()).match(/(\d+) need review/)[1]);
  check(count > 0, `the Alerts link says how many alerts need review and that emails are failing (${count})`);
  check((await link.locator('.page-badge').innerText()) === `${count}!`, 'the count shows beside the link');

  await link.click();
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Who is told, and when' }).waitFor();
  const shipped = await page.locator('.rule').count();
  check(shipped === 3, `the three shipped rules are listed (${shipped})`);
  check((await page.locator('.rule').first().innerText()).includes('Severity 5 (Critical) in any category: an email at once to the DSL.'),
    'a rule reads in plain words');

  // The failure is explained at the top, and the email is in the table.
  const notice = page.getByRole('alert').filter({ hasText: 'Alerts are not reaching the DSL' });
  await notice.waitFor();
  check((await notice.innerText()).includes('No mail server is set yet'), 'the notice at the top says why emails are not going');
  const row = page.locator('.outbox-table tbody tr').first();
  const rowText = await row.innerText();
  check(rowText.includes('Waiting to retry') && rowText.includes('No mail server is set yet') && rowText.includes('the DSL'),
    `the outbox row says where the email stands (${rowText.replace(/\s+/g, ' ')})`);

  // A rule with a mistyped address is refused next to the form, in words.
  const form = page.locator('form.rule-form');
  await form.getByLabel('Name').fill('Bullying after school');
  await form.getByLabel('Lowest severity').selectOption('3');
  await form.getByLabel('Bullying').check();
  await form.getByLabel('How many times on one device').fill('3');
  await form.getByLabel('Within how many minutes').fill('60');
  await form.getByLabel('From', { exact: true }).fill('15:30');
  await form.getByLabel('Until').first().fill('22:00');
  await form.getByLabel('Term time only').check();
  await form.getByLabel('Other email addresses, one per line').fill('head at stmarys.example');
  await form.getByRole('button', { name: 'Add the rule' }).click();
  const refused = form.getByRole('alert');
  await refused.filter({ hasText: 'is not an email address' }).waitFor();
  check((await refused.innerText()).includes('"head at stmarys.example" is not an email address'), 'the bad address is named in the error');
  await shots(page, 'alerts-rule-error');

  await form.getByLabel('Other email addresses, one per line').fill('head@stmarys.example');
  await form.getByRole('button', { name: 'Add the rule' }).click();
  await form.getByRole('status').filter({ hasText: '“Bullying after school” is added.' }).waitFor();
  const added = page.locator('.rule').filter({ hasText: 'Bullying after school' });
  await added.waitFor();
  const words = await added.innerText();
  check(words.includes('Severity 3 (Elevated) or above in Bullying, once it happens 3 times on one device within 60 minutes, ' +
    'between 15:30 and 22:00, in term time only: an email at once to the DSL and head@stmarys.example.'),
  `the new rule is listed in plain words (${words.replace(/\s+/g, ' ')})`);

  await added.getByRole('button', { name: /^Turn off/ }).click();
  await page.getByRole('status').filter({ hasText: 'is turned off' }).waitFor();
  check((await added.innerText()).includes('(turned off)'), 'the rule can be turned off');

  // Settings: a bad term-dates line is named; fixed, they are saved.
  const settings = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Settings' }) });
  await settings.getByLabel('Grouping window (minutes)').fill('45');
  await settings.getByLabel('Term dates').fill('2026-09-03..2026-12-18\nspring term');
  await settings.getByRole('button', { name: 'Save the settings' }).click();
  await settings.getByRole('alert').filter({ hasText: 'line 2' }).waitFor();
  check(true, 'a bad term-dates line is refused with its line number');
  await settings.getByLabel('Term dates').fill('2026-09-03..2026-12-18\n2027-01-05..2027-03-26');
  await settings.getByLabel("The box's address, for links in emails").fill('https://monitor.stmarys.example:8443');
  await settings.getByRole('button', { name: 'Save the settings' }).click();
  await settings.getByRole('status').filter({ hasText: 'The alert settings are saved.' }).waitFor();
  check(true, 'the settings are saved');

  await page.reload();
  await page.getByRole('heading', { name: 'Who is told, and when' }).waitFor();
  check((await page.getByLabel('Grouping window (minutes)').inputValue()) === '45', 'the grouping window stays saved');
  await page.locator('.outbox-table').waitFor();
  await shots(page, 'alerts');

  await page.locator('.outbox-table').getByRole('button', { name: /^Try again/ }).first().click();
  await page.getByRole('status').filter({ hasText: 'will be tried again now' }).waitFor();
  check(true, '"Try again" asks for the email to be sent now');
}

async function technicianJourney(page, base) {
  await signIn(page, base, 'r.okafor');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  check((await nav.getByRole('link', { name: /^Alerts/ }).count()) === 0, 'the technician has no Alerts page');
}

run(async () => {
  const box = await startBox();
  try {
    await setUpThroughApi(box);
    const head = await apiSignIn(box.base, HEADTEACHER.username);
    const email = await waitingEmail(box.base, head);
    check(email.last_answer.includes('No mail server is set yet'), `the replay's alert email waits for a mail server (${email.last_answer})`);
    check(!('body' in email), 'the outbox never gives an email\'s body');
    await addUser(box.base, head, { username: 'r.okafor', display_name: 'Rob Okafor', role: 'technician' });
    const tech = await apiSignIn(box.base, 'r.okafor');
    check((await call(box.base, 'GET', '/api/alerts/rules', undefined, tech)).status === 403, 'the API refuses the rules to a technician');
    const changed = await call(box.base, 'POST', '/api/alerts/rules', { name: 'x', recipients: ['dsl'] }, tech);
    check(changed.status === 403, 'the API refuses a technician a new rule');
    const summary = await call(box.base, 'GET', '/api/alerts/summary', undefined, tech);
    check(summary.status === 200 && Object.keys(summary.json).sort().join() === 'failed,notifications,retrying',
      'the masthead counts name nothing');

    await withBrowser(async (page) => alertsJourney(page, box.base));
    await withBrowser(async (page) => technicianJourney(page, box.base));
  } finally {
    const code = await box.stop();
    check(code === 0, `the daemon stops cleanly (exit ${code})`);
  }
});
