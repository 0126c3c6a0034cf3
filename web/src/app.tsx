import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type User } from './api';
import { navigate, usePathname } from './navigation';
import { Shell } from './components/shell';
import { SetupPage } from './pages/setup';
import { LoginPage } from './pages/login';
import { CapturesPage } from './pages/captures';
import { LibraryPage } from './pages/library';
import { SettingsPage } from './pages/settings';

type State =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'setup' }
  | { kind: 'signed_out' }
  | { kind: 'signed_in'; user: User };

// The pages a signed-in person can open; any other address shows the captures.
const signedInPages = ['/captures', '/library', '/settings'];

// Decides which page the visitor may see: setup until the box is set up, then sign-in,
// then the signed-in pages.
export function App() {
  const pathname = usePathname();
  const [state, setState] = useState<State>({ kind: 'loading' });

  async function refresh() {
    try {
      const { setup_needed } = await api.setupStatus();
      if (setup_needed) {
        setState({ kind: 'setup' });
        return;
      }
      try {
        const { user } = await api.session();
        setState({ kind: 'signed_in', user });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) setState({ kind: 'signed_out' });
        else throw error;
      }
    } catch (error) {
      setState({ kind: 'unreachable', message: (error as Error).message });
    }
  }

  useEffect(() => {
    void refresh();
  }, []);

  // Keep the address bar in step with what is shown.
  useEffect(() => {
    if (state.kind === 'setup' && pathname !== '/setup') navigate('/setup', { replace: true });
    if (state.kind === 'signed_out' && pathname !== '/login') navigate('/login', { replace: true });
    if (state.kind === 'signed_in' && !signedInPages.includes(pathname)) {
      navigate('/captures', { replace: true });
    }
  }, [state.kind, pathname]);

  switch (state.kind) {
    case 'loading':
      return (
        <Shell>
          <p class="quiet" role="status">
            Loading…
          </p>
        </Shell>
      );
    case 'unreachable':
      return (
        <Shell>
          <div class="card">
            <h1>The box cannot be reached</h1>
            <p role="alert">{state.message}</p>
            <button type="button" class="button" onClick={() => void refresh()}>
              Try again
            </button>
          </div>
        </Shell>
      );
    case 'setup':
      return (
        <Shell>
          <SetupPage onSignIn={() => setState({ kind: 'signed_out' })} />
        </Shell>
      );
    case 'signed_out':
      return (
        <Shell>
          <LoginPage onSignedIn={(user) => setState({ kind: 'signed_in', user })} />
        </Shell>
      );
    case 'signed_in':
      return (
        <Shell
          user={state.user}
          pathname={pathname}
          onSignOut={async () => {
            await api.logout().catch(() => undefined);
            setState({ kind: 'signed_out' });
          }}
        >
          {pathname === '/library' ? (
            <LibraryPage onSessionEnded={() => setState({ kind: 'signed_out' })} />
          ) : pathname === '/settings' ? (
            <SettingsPage onSessionEnded={() => setState({ kind: 'signed_out' })} />
          ) : (
            <CapturesPage onSessionEnded={() => setState({ kind: 'signed_out' })} />
          )}
        </Shell>
      );
  }
}
