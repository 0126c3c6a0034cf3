import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, takeSessionEndedNotice, type User } from '../api';
import { ErrorSummary, Field } from '../components/field';

// "1 minute", "45 seconds": how long a locked name must wait, as the box counts it.
function waitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

export function LoginPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // The box asked for the second step's code (the password was right).
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Seconds until a locked name may try again, counted down on the page.
  const [lockedFor, setLockedFor] = useState(0);
  const [busy, setBusy] = useState(false);
  const [sessionEnded] = useState(() => takeSessionEndedNotice());
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (lockedFor <= 0) return;
    const timer = setTimeout(() => setLockedFor(lockedFor - 1), 1000);
    return () => clearTimeout(timer);
  }, [lockedFor]);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const { user } = await api.login(username, password, needsCode ? code : undefined);
      onSignedIn(user);
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.code === 'two_step_needed') {
        setNeedsCode(true);
        setTimeout(() => document.getElementById('totp-code')?.focus(), 0);
        return;
      }
      if (failure instanceof ApiError && failure.retryAfterSeconds) setLockedFor(failure.retryAfterSeconds);
      setError((failure as Error).message);
    }
  }

  return (
    <section class="card narrow" aria-labelledby="login-heading">
      <h1 id="login-heading" ref={heading} tabIndex={-1}>
        Sign in
      </h1>
      <p class="lead">Sign in to see what the box has noticed on the school network.</p>
      {sessionEnded && !error && (
        <p class="alert alert-info" role="status">
          You were signed out after 30 minutes without use (or from another device). Sign in again to carry on.
        </p>
      )}
      <ErrorSummary message={error} />
      {lockedFor > 0 && (
        <p class="alert alert-info locked-note" role="status" aria-live="off">
          Signing in with this name is paused: try again in {waitWords(lockedFor)}.
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field
          id="username"
          label="User name"
          value={username}
          onInput={(value) => {
            setUsername(value);
            setNeedsCode(false);
          }}
          autocomplete="username"
          extra={{ spellcheck: false, autocapitalize: 'none' }}
        />
        <Field id="password" label="Password" type="password" value={password} onInput={setPassword} autocomplete="current-password" />
        {needsCode && (
          <Field
            id="totp-code"
            label="Code from your authenticator app"
            hint="Six digits. The app shows a new one every 30 seconds."
            value={code}
            onInput={setCode}
            autocomplete="one-time-code"
            extra={{ inputMode: 'numeric', maxLength: 7, size: 8 }}
          />
        )}
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
