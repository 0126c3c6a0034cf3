import type { JSX } from 'preact';
import { can, type Permission, type User } from './api';
import { AlertsPage, useAlertsBadge } from './pages/alerts';
import { CapturesPage } from './pages/captures';
import { DashboardPage } from './pages/dashboard';
import { IncidentsPage } from './pages/incidents';
import { LibraryPage } from './pages/library';
import { PeoplePage } from './pages/people';
import { ReportsPage } from './pages/reports';
import { SettingsPage } from './pages/settings';
import { UsersPage } from './pages/users';
import { AccountPage } from './pages/account';
import { AuditPage } from './pages/audit';
import { SetupWizardPage } from './pages/setup';
import { SystemPage } from './pages/system';

// What every signed-in page gets.
export interface PageProps {
  user: User;
  // The full address, e.g. /captures/42 for a page that shows one item.
  pathname: string;
  // The box answered 401: the session ended (idle, signed out elsewhere).
  onSessionEnded: () => void;
}

export interface PageEntry {
  path: string; // the page and everything under it (/captures, /captures/42)
  label: string; // the link in the masthead
  permission?: Permission; // needed to see the link and the page
  render: (props: PageProps) => JSX.Element;
  inMasthead?: boolean; // false: reached by its own links only (the setup wizard)
  // A count beside the masthead's link (a hook: called once per render of that link),
  // with the link's full accessible name, e.g. "Alerts, 3 need review".
  useBadge?: () => { text: string; label: string } | null;
}

// The signed-in pages, in the masthead's order. The first one the user may open is
// where they land after signing in.
export const pageTable: PageEntry[] = [
  {
    path: '/dashboard',
    label: 'Dashboard',
    permission: 'see_dashboard',
    render: ({ user, onSessionEnded }) => <DashboardPage user={user} onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/captures',
    label: 'Captures',
    permission: 'see_evidence',
    render: ({ user, pathname, onSessionEnded }) => (
      <CapturesPage user={user} pathname={pathname} onSessionEnded={onSessionEnded} />
    ),
  },
  {
    path: '/incidents',
    label: 'Incidents',
    permission: 'handle_incidents',
    render: ({ pathname, onSessionEnded }) => <IncidentsPage pathname={pathname} onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/alerts',
    label: 'Alerts',
    permission: 'see_reports',
    useBadge: useAlertsBadge,
    render: ({ onSessionEnded }) => <AlertsPage onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/reports',
    label: 'Reports',
    permission: 'see_reports',
    render: ({ user, onSessionEnded }) => <ReportsPage user={user} onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/people',
    label: 'People',
    permission: 'see_people',
    render: ({ user, onSessionEnded }) => <PeoplePage user={user} onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/library',
    label: 'Library',
    permission: 'see_dashboard',
    render: ({ onSessionEnded }) => <LibraryPage onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/settings',
    label: 'Settings',
    permission: 'see_dashboard',
    render: ({ onSessionEnded }) => <SettingsPage onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/system',
    label: 'System',
    permission: 'manage_system',
    render: ({ user, onSessionEnded }) => (
      <SystemPage onSessionEnded={onSessionEnded} canSeeDslEmail={can(user, 'see_people') || can(user, 'manage_accounts')} />
    ),
  },
  {
    path: '/users',
    label: 'Users',
    permission: 'manage_accounts',
    render: ({ onSessionEnded }) => <UsersPage onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/audit',
    label: 'Audit log',
    permission: 'read_audit',
    render: ({ onSessionEnded }) => <AuditPage onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/account',
    label: 'Your account',
    inMasthead: false,
    render: ({ onSessionEnded }) => <AccountPage onSessionEnded={onSessionEnded} />,
  },
  {
    path: '/setup',
    label: 'Finish setting up',
    permission: 'manage_accounts',
    inMasthead: false,
    render: ({ onSessionEnded }) => <SetupWizardPage onSessionEnded={onSessionEnded} />,
  },
];

export function pageFor(pathname: string): PageEntry | undefined {
  return pageTable.find((page) => pathname === page.path || pathname.startsWith(`${page.path}/`));
}
