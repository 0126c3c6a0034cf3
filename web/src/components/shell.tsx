import type { ComponentChildren } from 'preact';
import { can, type User } from '../api';
import { navigate } from '../navigation';
import { pageFor, pageTable, type PageEntry } from '../page_table';
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
                  <MastheadLink key={page.path} page={page} current={pathname} />
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

// A page's link in the masthead, with its count when the page has one (Alerts).
function MastheadLink({ page, current }: { page: PageEntry; current?: string }) {
  const badge = page.useBadge?.() ?? null;
  return <PageLink path={page.path} label={page.label} current={current} badge={badge} />;
}

// A link to a signed-in page: an ordinary link (it opens in a new tab too) that the app
// follows itself.
function PageLink({
  path,
  label,
  current,
  badge,
}: {
  path: string;
  label: string;
  current?: string;
  badge?: { text: string; label: string } | null;
}) {
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
      {/* With a count, read as "Alerts, 3 need review": the visible label starts the
          name (WCAG 2.5.3), and the count is shown, not read twice. */}
      {badge ? (
        <>
          <span aria-hidden="true">
            {label}
            <span class="page-badge">{badge.text}</span>
          </span>
          <span class="visually-hidden">{badge.label}</span>
        </>
      ) : (
        label
      )}
    </a>
  );
}
