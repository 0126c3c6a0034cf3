import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, type User } from './api';
import { navigate, usePathname } from './navigation';
import { Shell } from './components/shell';
import { SetupPage } from './pages/setup';
import { LoginPage } from './pages/login';
import { pageFor, pageTable } from './page_table';
import { systemApi } from './components/system_api';

type State =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'setup' }
  | { kind: 'signed_out' }
  | { kind: 'signed_in'; user: User };

// The pages this person may open; any other address shows the first of them.
function allowedPages(user: User) {
  return pageTable.filter((page) => can(user, page.permission));
}

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

  // A headteacher who began the setup wizard on the setup page (pages/setup.tsx) and has
  // not finished it carries on where it was left after signing in.
  const signedInAs = state.kind === 'signed_in' ? state.user : null;
  useEffect(() => {
    if (!signedInAs || !can(signedInAs, 'manage_accounts')) return;
    // Only when no particular page was asked for (just signed in, or the box's address):
    // a reload of the Settings page stays on it.
    const asked = pageFor(window.location.pathname);
    if (asked && asked.path !== '/setup') return;
    systemApi
      .wizard()
      .then((wizard) => {
        if (wizard.started && !wizard.finished) navigate('/setup');
      })
      .catch(() => undefined);
  }, [signedInAs?.username]);

  // Keep the address bar in step with what is shown.
  useEffect(() => {
    if (state.kind === 'setup' && pathname !== '/setup') navigate('/setup', { replace: true });
    if (state.kind === 'signed_out' && pathname !== '/login') navigate('/login', { replace: true });
    if (state.kind === 'signed_in') {
      const page = pageFor(pathname);
      const allowed = allowedPages(state.user);
      if ((!page || !allowed.includes(page)) && allowed.length > 0) navigate(allowed[0].path, { replace: true });
    }
  }, [state, pathname]);

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
          {renderPage(state.user, pathname, () => setState({ kind: 'signed_out' }))}
        </Shell>
      );
  }
}

function renderPage(user: User, pathname: string, onSessionEnded: () => void) {
  const page = pageFor(pathname);
  if (!page || !can(user, page.permission)) return null;
  return page.render({ user, pathname, onSessionEnded });
}
