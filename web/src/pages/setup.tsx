import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorSummary, Field } from '../components/field';

const minimumPasswordLength = 10;

// First run: whoever has the setup code from the box becomes its headteacher account.
export function SetupPage({ onSignIn }: { onSignIn: () => void }) {
  const [setupCode, setSetupCode] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ username: string; recoveryKey: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [done]);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setInvalidField(null);
    if (password.length < minimumPasswordLength) {
      setInvalidField('password');
      setError(`The password is too short: use at least ${minimumPasswordLength} characters.`);
      return;
    }
    if (password !== confirm) {
      setInvalidField('confirm');
      setError('The two passwords are not the same. Type the password again in both boxes.');
      return;
    }
    setBusy(true);
    try {
      const { user, recovery_key } = await api.setup({
        setup_code: setupCode,
        display_name: displayName,
        username,
        password,
      });
      setDone({ username: user.username, recoveryKey: recovery_key });
    } catch (failure) {
      const apiError = failure as ApiError;
      setInvalidField(apiError.code === 'wrong_setup_code' ? 'setup-code' : null);
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return <SetupDone username={done.username} recoveryKey={done.recoveryKey} onSignIn={onSignIn} />;
  }

  return (
    <section class="card narrow" aria-labelledby="setup-heading">
      <h1 id="setup-heading" ref={heading} tabIndex={-1}>
        Set up hallmonitor
      </h1>
      <p class="lead">
        Welcome. This takes a minute: type the setup code from the box, then choose the name and password you will
        sign in with. You will be the box's headteacher account.
      </p>
      <ErrorSummary message={error} />
      <form onSubmit={submit} noValidate>
        <Field
          id="setup-code"
          label="Setup code"
          hint="Printed on the label underneath the box, like KX7M-RT4C-PWN3. Capital letters or small, either is fine."
          value={setupCode}
          onInput={setSetupCode}
          autocomplete="off"
          invalid={invalidField === 'setup-code'}
          extra={{ spellcheck: false, autocapitalize: 'characters', class: 'code-input' }}
        />
        <Field
          id="display-name"
          label="Your name"
          hint="As colleagues know you, for example Anita Patel."
          value={displayName}
          onInput={setDisplayName}
          autocomplete="name"
        />
        <Field
          id="username"
          label="User name"
          hint="What you will type to sign in: letters, numbers, dots or dashes, no spaces. For example a.patel."
          value={username}
          onInput={setUsername}
          autocomplete="username"
          extra={{ spellcheck: false, autocapitalize: 'none' }}
        />
        <Field
          id="password"
          label="Password"
          hint={`At least ${minimumPasswordLength} characters. A short sentence you will remember works well.`}
          type="password"
          value={password}
          onInput={setPassword}
          autocomplete="new-password"
          invalid={invalidField === 'password'}
        />
        <Field
          id="confirm"
          label="Type the password again"
          type="password"
          value={confirm}
          onInput={setConfirm}
          autocomplete="new-password"
          invalid={invalidField === 'confirm'}
        />
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Setting up…' : 'Create my account'}
        </button>
      </form>
    </section>
  );
}

// After setup: the recovery key, shown this once. The box keeps no copy (it only wraps
// the evidence key under it), so the headteacher must confirm it is kept before going on.
function SetupDone({ username, recoveryKey, onSignIn }: { username: string; recoveryKey: string; onSignIn: () => void }) {
  const [kept, setKept] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const checkbox = useRef<HTMLInputElement>(null);

  useEffect(() => heading.current?.focus(), []);

  function carryOn() {
    if (!kept) {
      setError('Tick the box to say you have printed or written down the recovery key. You will not see it again.');
      checkbox.current?.focus();
      return;
    }
    onSignIn();
  }

  return (
    <section class="card narrow" aria-labelledby="setup-done-heading">
      <h1 id="setup-done-heading" ref={heading} tabIndex={-1}>
        Your account is ready
      </h1>
      <p class="no-print">
        The box is set up and you are its headteacher account, <strong>{username}</strong>. The setup code no longer
        works, so nobody else can use it.
      </p>
      <div class="recovery" role="group" aria-labelledby="recovery-heading">
        <h2 id="recovery-heading">Your recovery key</h2>
        <p>
          If every password is ever forgotten, this key is the only way to open what the box has recorded. It is shown{' '}
          <strong>only this once</strong>: the box does not keep a copy, and nobody, including the supplier, can show it
          again.
        </p>
        <p class="recovery-key">
          <code>{recoveryKey}</code>
        </p>
        <p>Print it or write it down, and keep it somewhere safe away from the box, such as the school safe.</p>
      </div>
      <p class="no-print">
        <button type="button" class="button button-quiet" onClick={() => window.print()}>
          Print the recovery key
        </button>
      </p>
      <ErrorSummary message={error} />
      <div class="check-field no-print">
        <input
          id="key-kept"
          type="checkbox"
          ref={checkbox}
          checked={kept}
          aria-invalid={error && !kept ? 'true' : undefined}
          onChange={(event) => {
            setKept((event.target as HTMLInputElement).checked);
            setError(null);
          }}
        />
        <label for="key-kept">I have printed or written down the recovery key</label>
      </div>
      <div class="no-print">
        <h2>What happens next</h2>
        <ol class="steps">
          <li>Sign in with your user name and password.</li>
          <li>
            The box is already watching the school network. Anything that matches its safeguarding list appears on the{' '}
            <strong>Captures</strong> page, newest first, within a second or two.
          </li>
          <li>Keep your password somewhere safe. Nobody, including the supplier, can read it back.</li>
        </ol>
        <button type="button" class="button" onClick={carryOn}>
          Sign in
        </button>
      </div>
    </section>
  );
}
