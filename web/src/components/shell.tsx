import type { ComponentChildren } from 'preact';
import type { User } from '../api';

interface ShellProps {
  user?: User;
  onSignOut?: () => void;
  children: ComponentChildren;
}

// The frame of every page: a skip link, the header (with who is signed in), the page.
export function Shell({ user, onSignOut, children }: ShellProps) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to the page
      </a>
      <header class="masthead">
        <div class="masthead-inner">
          <span class="brand">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>hallmonitor</span>
          </span>
          {user && (
            <nav class="account" aria-label="Account">
              <span class="who">
                Signed in as <strong>{user.display_name}</strong>
              </span>
              <button type="button" class="button button-quiet" onClick={onSignOut}>
                Sign out
              </button>
            </nav>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="footer">
        <p>
          This box keeps everything it records on the box itself. Nothing is sent to the cloud.
        </p>
      </footer>
    </>
  );
}
