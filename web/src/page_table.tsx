import type { JSX } from 'preact';
import type { Permission, User } from './api';
import { CapturesPage } from './pages/captures';
import { LibraryPage } from './pages/library';
import { SettingsPage } from './pages/settings';

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
}

// The signed-in pages, in the masthead's order. The first one the user may open is
// where they land after signing in.
export const pageTable: PageEntry[] = [
  {
    path: '/captures',
    label: 'Captures',
    permission: 'see_evidence',
    render: ({ onSessionEnded }) => <CapturesPage onSessionEnded={onSessionEnded} />,
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
];

export function pageFor(pathname: string): PageEntry | undefined {
  return pageTable.find((page) => pathname === page.path || pathname.startsWith(`${page.path}/`));
}
