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

export interface Capture {
  id: number;
  ts_us: number;
  time: string;
  device: { ip: string; mac: string | null };
  category: string;
  severity: number;
  phrase: string;
  kind: string;
  host: string;
  url: string;
}

export interface CapturePage {
  captures: Capture[];
  next: string | null;
}

// An answer the box gave that was not a success, with its message for the person.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
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
    throw new ApiError(response.status, payload.error ?? 'error', message);
  }
  if (typeof payload.csrf_token === 'string') csrfToken = payload.csrf_token;
  return payload as T;
}

export const api = {
  setupStatus: () => request<{ setup_needed: boolean }>('GET', '/api/setup/status'),
  setup: (form: { setup_code: string; display_name: string; username: string; password: string }) =>
    request<{ user: User; recovery_key: string }>('POST', '/api/setup', form),
  login: (username: string, password: string) =>
    request<{ user: User }>('POST', '/api/login', { username, password }),
  logout: () => request<{ signed_out: boolean }>('POST', '/api/logout', {}),
  session: () => request<{ user: User }>('GET', '/api/session'),
  captures: (before?: string, limit = 50) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (before) query.set('before', before);
    return request<CapturePage>('GET', `/api/captures?${query}`);
  },
};
