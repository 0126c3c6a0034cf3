// The box's JSON API (firmware/src/web/routes.cpp, described in web/openapi.json).

// What a role may do (firmware/src/store/roles.h). The page offers only what the user
// may use; the box enforces it regardless.
export type Permission =
  | 'see_dashboard'
  | 'see_evidence'
  | 'handle_incidents'
  | 'see_people'
  | 'manage_people'
  | 'see_reports'
  | 'edit_library'
  | 'edit_retention'
  | 'manage_system'
  | 'manage_accounts'
  | 'read_audit';

export interface User {
  username: string;
  display_name: string;
  role: string;
  permissions: Permission[];
}

export function can(user: User, permission: Permission | undefined): boolean {
  return permission === undefined || user.permissions.includes(permission);
}

// Captures (pages/captures.tsx, pages/capture_detail.tsx): the list is metadata only.
export type CaptureStatus = 'new' | 'reviewed' | 'false_positive' | 'incident';

export interface Capture {
  id: number;
  ts_us: number;
  time: string;
  device: { ip: string; mac: string | null };
  category: string;
  severity: number;
  phrase: string;
  kind: string;
  status: CaptureStatus;
}

export interface CapturePage {
  captures: Capture[];
  next: string | null;
  categories: { id: string; title: string }[];
}

// The list's filters, as they appear in the page's address (so a view can be bookmarked).
export interface CaptureFilter {
  severity?: string;
  category?: string;
  device?: string;
  status?: string;
  from_us?: string;
  until_us?: string;
  person?: string;
  group?: string;
}

export interface CaptureReview {
  status: CaptureStatus;
  marked: 'new' | 'reviewed' | 'false_positive';
  first_reviewed: string | null;
  reviewed: string | null;
  reviewed_by: string | null;
}

export interface CaptureDetail extends Capture {
  review: CaptureReview;
  text: string;
  context: { before: string; match: string | null; after: string; cut_before: boolean; cut_after: boolean };
  host: string;
  url: string | null;
  entry_kind: string;
  library_version: string;
  packets: number;
  device: { ip: string; mac: string | null; name?: string | null };
  person: { name: string; groups?: string[] } | null;
  earlier: Capture[];
  incidents: { id: number; open: boolean; opened: string }[];
}

// The dashboard (pages/dashboard.tsx): figures only, never evidence.
export interface ConcernCounts {
  total: number;
  by_severity: { severity: number; count: number }[];
  by_category: { category: string; count: number }[];
}

export interface Dashboard {
  now: string;
  // Set when the box replays a recording: the figures are as of its end.
  recording_as_of: string | null;
  day_start: string;
  week_start: string;
  today: ConcernCounts;
  week: ConcernCounts;
  review: {
    waiting: number;
    serious: number;
    oldest_serious: string | null;
    reviewed_last_30_days: number;
    median_minutes_to_first_review: number | null;
  };
  incidents: { id: number; opened: string; age_days: number; captures: number }[];
  devices: {
    mac: string | null;
    ip: string;
    captures: number;
    serious: number;
    highest_severity: number;
    person?: string | null;
  }[];
  groups?: { id: number; name: string; captures: number; serious: number }[];
  visibility: { visibility: string; flows: number; bytes: number; packets: number }[];
  health: {
    mirror: {
      recent_minutes: number;
      recent_packets: number;
      per_minute: { minute: string; packets: number }[];
      last_traffic: string | null;
      live?: { mode: string; packets_recent: number; ring_drops: number; kernel_drops: number; last_packet: string | null } | null;
    };
    store: { state: string; message: string; captures_unstored: number };
    disk: { free_bytes: number; total_bytes: number } | null;
    library: { source: string; version: number | null };
    time: { now: string; synchronized: boolean | null };
  };
}

// An answer the box gave that was not a success, with its message for the person.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // A locked sign-in (429): how long to wait before trying again.
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

// Set when a signed-in page got 401 (idle timeout, or signed out elsewhere), so the
// sign-in page can say why it is showing.
let sessionEnded = false;

export function takeSessionEndedNotice(): boolean {
  const ended = sessionEnded;
  sessionEnded = false;
  return ended;
}

// The session's CSRF token, from the sign-in or session answer: sent with every
// state-changing request (the box refuses one without it).
let csrfToken = '';

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// A file's bytes as the body (the one such route: a library bundle).
export async function upload<T>(path: string, file: Blob): Promise<T> {
  return send<T>(path, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file });
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  const headers = new Headers(init.headers);
  if (init.method !== undefined && init.method !== 'GET' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  try {
    response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'offline', 'The box cannot be reached. Check the network connection and try again.');
  }
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message =
      typeof payload.message === 'string' ? payload.message : `The box answered with an error (${response.status}).`;
    if (response.status === 401 && csrfToken && path !== '/api/login') {
      sessionEnded = true;
      csrfToken = '';
    }
    const retryAfter = typeof payload.retry_after_seconds === 'number' ? payload.retry_after_seconds : undefined;
    throw new ApiError(response.status, payload.error ?? 'error', message, retryAfter);
  }
  if (typeof payload.csrf_token === 'string') csrfToken = payload.csrf_token;
  return payload as T;
}

export const api = {
  setupStatus: () => request<{ setup_needed: boolean }>('GET', '/api/setup/status'),
  setup: (form: { setup_code: string; display_name: string; username: string; password: string; wizard?: boolean }) =>
    request<{ user: User; recovery_key: string }>('POST', '/api/setup', form),
  login: (username: string, password: string, totpCode?: string) =>
    request<{ user: User }>('POST', '/api/login', totpCode ? { username, password, totp_code: totpCode } : { username, password }),
  logout: async () => {
    const answer = await request<{ signed_out: boolean }>('POST', '/api/logout', {});
    csrfToken = '';
    return answer;
  },
  session: () => request<{ user: User }>('GET', '/api/session'),
  captures: (before?: string, limit = 50, filter: CaptureFilter = {}) => {
    const query = new URLSearchParams({ limit: String(limit) });
    for (const [name, value] of Object.entries(filter)) if (value) query.set(name, value);
    if (before) query.set('before', before);
    return request<CapturePage>('GET', `/api/captures?${query}`);
  },
  capture: (id: number) => request<CaptureDetail>('GET', `/api/captures/${id}`),
  reviewCapture: (id: number, status: 'reviewed' | 'false_positive') =>
    request<{ review: CaptureReview }>('POST', `/api/captures/${id}/review`, { status }),
  dashboard: (dayStartUs: number, weekStartUs: number) =>
    request<Dashboard>('GET', `/api/dashboard?day_start_us=${dayStartUs}&week_start_us=${weekStartUs}`),
};
