import type { ComponentChildren } from 'preact';
import { can, type User } from '../api';
import { navigate } from '../navigation';
import { pageFor, pageTable } from '../page_table';
import './shell.css';

interface ShellProps {
  user?: User;
  pathname?: string;
  onSignOut?: () => void;
  children: ComponentChildren;
}

// The frame of every page: a skip link, the header (with who is signed in), the page.
export function Shell({ user, pathname, onSignOut, children }: ShellProps) {
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
            <nav class="pages" aria-label="Pages">
              {pageTable
                .filter((page) => can(user, page.permission) && page.inMasthead !== false)
                .map((page) => (
                  <PageLink key={page.path} path={page.path} label={page.label} current={pathname} />
                ))}
            </nav>
          )}
          {user && (
            <nav class="account" aria-label="Account">
              <span class="who">
                Signed in as <strong>{user.display_name}</strong>
              </span>
              <PageLink path="/account" label="Your account" current={pathname} />
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

// A link to a signed-in page: an ordinary link (it opens in a new tab too) that the app
// follows itself.
function PageLink({ path, label, current }: { path: string; label: string; current?: string }) {
  return (
    <a
      href={path}
      class="page-link"
      aria-current={current !== undefined && pageFor(current)?.path === path ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
}
