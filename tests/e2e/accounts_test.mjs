// Accounts and sign-in security in a real browser (issue 6 item 2): a name locked after
// wrong passwords (the page says for how long; the right password waits too), the
// headteacher adding a DSL who then sees the planted capture's text while a technician
// sees no captures at all, two-step sign-in enrolled on the Account page and used to
// sign in with a code computed here (RFC 6238), and the audit log — with screenshots
// and axe-core at desktop and phone widths.
import { createHmac } from 'node:crypto';
import {
  apiSignIn, call, check, HEADTEACHER, PASSWORD, run, setUpThroughApi, shots, signIn, startBox, withBrowser,
} from './harness.mjs';

const FIRST_PASSWORD = 'a first password for you';

// RFC 4648 §6 base32, as an authenticator app reads the key the page shows.
function fromBase32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const c of text.replace(/\s+/g, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) at `seconds`, with node's own crypto.
function totp(secret, seconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1000000).padStart(6, '0');
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

async function lockout(page, base) {
  const head = await apiSignIn(base, HEADTEACHER.username);
  const added = await call(base, 'POST', '/api/users',
    { username: 'l.locke', display_name: 'Lee Locke', role: 'viewer', password: FIRST_PASSWORD }, head);
  check(added.status === 201, 'an account to lock is added through the API');
  await page.goto(`${base}/login`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill('l.locke');
  for (let i = 1; i <= 5; i += 1) {
    await page.getByLabel('Password').fill(`wrong guess number ${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  }
  await page.getByText('paused for 1 minute').first().waitFor();
  const alert = await page.getByRole('alert').innerText();
  check(alert.includes('paused for 1 minute'), `after 5 wrong passwords the page says the name is locked and for how long (${alert})`);
  const countdown = await page.locator('.locked-note').innerText();
  check(/try again in \d+ seconds|try again in 1 minute/.test(countdown), `the page counts down the wait (${countdown})`);
  await shots(page, 'login-locked');
  await page.getByLabel('Password').fill(FIRST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('paused for').first().waitFor();
  check(await page.getByRole('navigation', { name: 'Pages' }).count() === 0, 'the right password is refused while the name is locked');
  const api = await call(base, 'POST', '/api/login', { username: 'l.locke', password: FIRST_PASSWORD });
  check(api.status === 429 && api.json.retry_after_seconds > 0, `the API answers 429 with retry_after_seconds (${api.status})`);
}

async function addPeople(page, base) {
  await signIn(page, base, HEADTEACHER.username);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  for (const [name, username, role] of [['Dee Okafor', 'd.okafor', 'dsl'], ['Tim Tech', 't.tech', 'technician']]) {
    await page.getByLabel('Their name').fill(name);
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Role', { exact: true }).selectOption(role);
    await page.getByLabel('First password').fill(FIRST_PASSWORD);
    await page.getByRole('button', { name: 'Add this person' }).click();
    await page.getByRole('status').filter({ hasText: `${name} can now sign in` }).waitFor();
    await page.locator('tbody tr', { hasText: username }).waitFor();
  }
  const dslRow = await page.locator('tbody tr', { hasText: 'd.okafor' }).innerText();
  check(dslRow.includes('Never') && dslRow.includes('Off'), `the Users page lists the DSL: never signed in, two-step off (${dslRow.replace(/\s+/g, ' ')})`);
  await shots(page, 'users');

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByText('The log is intact').waitFor();
  const audit = await page.locator('.audit-table').innerText();
  check(audit.includes('Changed staff accounts') && audit.includes('added d.okafor (dsl); evidence key wrapped for it'),
    'the audit log shows the DSL added with the evidence key, in words');
  check(audit.includes('Sign-in refused'), 'the audit log shows the refused sign-ins');
  await shots(page, 'audit');
  await signOut(page);
}

async function dslAndTechnician(page, base) {
  await signIn(page, base, 'd.okafor', FIRST_PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  check(await nav.getByRole('link', { name: 'Captures' }).count() === 1, 'the DSL has a Captures link');
  await nav.getByRole('link', { name: 'Captures' }).click();
  await page.getByRole('heading', { name: 'Captures' }).waitFor();
  await page.locator('tbody tr', { hasText: 'how to kill myself' }).first().waitFor({ timeout: 60000 });
  check(true, "the DSL sees the planted capture's text on the Captures page");
  check(await nav.getByRole('link', { name: 'Users' }).count() === 0, 'the DSL has no Users link');
  await signOut(page);

  await signIn(page, base, 't.tech', FIRST_PASSWORD);
  check(await nav.getByRole('link', { name: 'Captures' }).count() === 0, 'the technician has no Captures link');
  check(await nav.getByRole('link', { name: 'Library' }).count() === 1, 'the technician has the Library');
  await page.goto(`${base}/captures`);
  await page.waitForURL((url) => url.pathname !== '/captures', { timeout: 10000 }).catch(() => undefined);
  check(new URL(page.url()).pathname !== '/captures', `the technician typing /captures lands elsewhere (${new URL(page.url()).pathname})`);
  const tech = await apiSignIn(base, 't.tech', FIRST_PASSWORD);
  check((await call(base, 'GET', '/api/captures', undefined, tech)).status === 403, 'GET /api/captures as the technician answers 403');
  await signOut(page);
}

// Whether the QR drawing (components/qr_code.tsx: one 1×1 square per dark module, a
// 4-module quiet zone) has a QR code's shape: 21 + 4k modules a side, and the 7×7
// finder squares (dark ring, light ring, dark 3×3 centre) in three corners.
function isQrCode(path, viewBox) {
  const width = Number(viewBox?.split(' ')[2]);
  const size = width - 8;
  if (!(size >= 21 && (size - 21) % 4 === 0)) return false;
  const dark = new Set([...(path ?? '').matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map(([, x, y]) => `${x - 4},${y - 4}`));
  const finderAt = (left, top) => {
    for (let y = 0; y < 7; y += 1) {
      for (let x = 0; x < 7; x += 1) {
        const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
        if (dark.has(`${left + x},${top + y}`) !== (ring !== 2)) return false;
      }
    }
    return true;
  };
  return finderAt(0, 0) && finderAt(size - 7, 0) && finderAt(0, size - 7);
}

async function twoStep(page, base) {
  await signIn(page, base, HEADTEACHER.username);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Your account' }).click();
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  await page.getByLabel('Your password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const key = await page.locator('#two-step-key').innerText();
  const secret = fromBase32(key);
  check(secret.length === 20, `the page shows a 160-bit key in base32 (${key})`);
  const qr = page.getByRole('img', { name: 'QR code for adding your hallmonitor account to an authenticator app' });
  check(isQrCode(await qr.locator('path').getAttribute('d'), await qr.getAttribute('viewBox')),
    'the key is also shown as a QR code for the phone (a QR size with its three finder squares)');
  await shots(page, 'account-two-step');
  const now = Date.now() / 1000;
  await page.getByLabel('Code from the app').fill(totp(secret, now));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByText('Two-step sign-in is on.').first().waitFor();
  await shots(page, 'account');
  await signOut(page);

  await page.getByLabel('User name').fill(HEADTEACHER.username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const codeBox = page.getByLabel('Code from your authenticator app');
  await codeBox.waitFor();
  check(true, 'a right password alone makes the page ask for the code');
  // The next step's code: the confirming one was used, and is never accepted twice.
  await codeBox.fill(totp(secret, Date.now() / 1000 + 30));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  check(true, 'signing in with the password and a code computed with node works');
}

run(async () => {
  const box = await startBox();
  try {
    await setUpThroughApi(box);
    await withBrowser(async (page) => {
      await lockout(page, box.base);
      await addPeople(page, box.base);
      await dslAndTechnician(page, box.base);
      await twoStep(page, box.base);
    });
  } finally {
    await box.stop();
  }
});
