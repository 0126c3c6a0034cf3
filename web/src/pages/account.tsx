import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorSummary, Field, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { QrCode } from '../components/qr_code';
import { accountsApi, whenUs, type OwnAccount } from './accounts_api';
import './accounts.css';

// Your own account: password, sessions, and the optional second sign-in step.
export function AccountPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [account, setAccount] = useState<OwnAccount | null>(null);
  const [error, setError] = useState<string | null>(null);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }
  async function load() {
    try {
      setAccount(await accountsApi.account());
    } catch (failure) {
      failed(failure);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="account-heading" class="account-page">
      <PageHeading id="account-heading" title="Your account" summary="Your password, where you are signed in, and two-step sign-in." />
      <ErrorSummary message={error} />
      {account && (
        <div class="card">
          <p>
            <strong>{account.user.display_name}</strong> ({account.user.username}) — {account.role_title}.
          </p>
          <p class="quiet">
            Last signed in: {whenUs(account.last_sign_in_us)}. Signed in on {account.sessions}{' '}
            {account.sessions === 1 ? 'device or browser' : 'devices or browsers'} now.
          </p>
          <button
            type="button"
            class="button button-quiet"
            onClick={async () => {
              try {
                await accountsApi.signOutEverywhere();
              } catch (failure) {
                failed(failure);
                return;
              }
              onSessionEnded();
            }}
          >
            Sign out everywhere
          </button>
        </div>
      )}
      <ChangePassword onFailure={failed} />
      {account && <TwoStep enabled={account.two_step} onChange={load} onFailure={failed} />}
    </section>
  );
}

function ChangePassword({ onFailure }: { onFailure: (failure: unknown) => void }) {
  const [current, setCurrent] = useState('');
  const [replacement, setReplacement] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      class="card"
      aria-labelledby="password-heading"
      onSubmit={async (event) => {
        event.preventDefault();
        setError(null);
        setDone(null);
        try {
          const answer = await accountsApi.changePassword(current, replacement);
          setDone(
            `Your password is changed.${answer.other_sessions_ended ? ` ${answer.other_sessions_ended} other sign-in(s) were ended.` : ''}`,
          );
          setCurrent('');
          setReplacement('');
        } catch (failure) {
          if (failure instanceof ApiError && failure.status === 401) onFailure(failure);
          else setError((failure as Error).message);
        }
      }}
    >
      <h2 id="password-heading">Change your password</h2>
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      <Field id="current-password" label="Current password" type="password" value={current} onInput={setCurrent} autocomplete="current-password" />
      <Field
        id="changed-password"
        label="New password"
        hint="At least 10 characters. A short sentence you will remember works well."
        type="password"
        value={replacement}
        onInput={setReplacement}
        autocomplete="new-password"
      />
      <button type="submit" class="button">
        Change password
      </button>
    </form>
  );
}

function TwoStep({ enabled, onChange, onFailure }: { enabled: boolean; onChange: () => Promise<void>; onFailure: (failure: unknown) => void }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function attempt(what: () => Promise<void>) {
    setError(null);
    setDone(null);
    try {
      await what();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onFailure(failure);
      else setError((failure as Error).message);
    }
  }

  return (
    <div class="card" aria-labelledby="two-step-heading" role="region">
      <h2 id="two-step-heading">Two-step sign-in</h2>
      <p>
        {enabled
          ? 'Two-step sign-in is on: signing in needs your password and a code from the app on your phone.'
          : 'Two-step sign-in is off. With it on, someone who learns your password still cannot sign in without your phone.'}
      </p>
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      {!enrolment && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void attempt(async () => {
              if (enabled) {
                await accountsApi.turnOffTwoStep(password);
                setPassword('');
                setDone('Two-step sign-in is off.');
                await onChange();
              } else {
                setEnrolment(await accountsApi.startTwoStep(password));
              }
            });
          }}
        >
          <Field id="two-step-password" label="Your password" type="password" value={password} onInput={setPassword} autocomplete="current-password" />
          <button type="submit" class="button">
            {enabled ? 'Turn two-step sign-in off' : 'Set up two-step sign-in'}
          </button>
        </form>
      )}
      {enrolment && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void attempt(async () => {
              await accountsApi.confirmTwoStep(password, code);
              setEnrolment(null);
              setPassword('');
              setCode('');
              setDone('Two-step sign-in is on. Next time you sign in, the box will ask for a code.');
              await onChange();
            });
          }}
        >
          <ol>
            <li>Open an authenticator app on your phone (for example Microsoft Authenticator or Google Authenticator).</li>
            <li>
              Add an account by scanning this QR code with the app:
              <p class="qr-holder">
                <QrCode text={enrolment.uri} label="QR code for adding your hallmonitor account to an authenticator app" />
              </p>
              Or, if the app cannot scan it, by typing this key (choose "time-based"):
              <p class="secret" id="two-step-key">
                {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
              </p>
              <details>
                <summary>The same as a link (otpauth)</summary>
                <p class="secret">{enrolment.uri}</p>
              </details>
            </li>
            <li>Type the 6-digit code the app now shows.</li>
          </ol>
          <Field id="two-step-code" label="Code from the app" value={code} onInput={setCode} autocomplete="one-time-code" extra={{ inputMode: 'numeric', size: 8 }} />
          <div class="button-row">
            <button type="submit" class="button">
              Turn on two-step sign-in
            </button>
            <button type="button" class="button button-quiet" onClick={() => setEnrolment(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
