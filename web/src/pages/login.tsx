import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type User } from '../api';
import { ErrorSummary, Field } from '../components/field';

export function LoginPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const { user } = await api.login(username, password);
      onSignedIn(user);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <section class="card narrow" aria-labelledby="login-heading">
      <h1 id="login-heading" ref={heading} tabIndex={-1}>
        Sign in
      </h1>
      <p class="lead">Sign in to see what the box has noticed on the school network.</p>
      <ErrorSummary message={error} />
      <form onSubmit={submit} noValidate>
        <Field
          id="username"
          label="User name"
          value={username}
          onInput={setUsername}
          autocomplete="username"
          extra={{ spellcheck: false, autocapitalize: 'none' }}
        />
        <Field id="password" label="Password" type="password" value={password} onInput={setPassword} autocomplete="current-password" />
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
