// The Users, Account and Audit pages' calls (web/openapi.json: /api/users, /api/account,
// /api/audit).
import { request, type User } from '../api';

export interface RoleInfo {
  id: string;
  title: string;
  description: string;
  sees_evidence: boolean;
}
export interface Account {
  id: number;
  username: string;
  display_name: string;
  role: string;
  role_title: string;
  last_sign_in_us: number | null;
  two_step: boolean;
  locked_seconds: number;
  has_evidence_key: boolean;
  is_you: boolean;
}
export interface OwnAccount {
  user: User;
  role_title: string;
  two_step: boolean;
  sessions: number;
  last_sign_in_us: number | null;
}
export interface AuditEntry {
  id: number;
  ts_us: number;
  actor: string;
  action: string;
  detail: string;
}

export const accountsApi = {
  users: () => request<{ users: Account[]; roles: RoleInfo[] }>('GET', '/api/users'),
  addUser: (form: { username: string; display_name: string; role: string; password: string }) =>
    request<{ id: number }>('POST', '/api/users', form),
  changeRole: (id: number, role: string, password?: string) =>
    request<{ role: string }>('PUT', `/api/users/${id}`, password ? { role, password } : { role }),
  removeUser: (id: number) => request<{ removed: boolean }>('DELETE', `/api/users/${id}`),
  resetPassword: (id: number, password: string) => request<{ reset: boolean }>('POST', `/api/users/${id}/password`, { password }),
  signOutUser: (id: number) => request<{ sessions_ended: number }>('POST', `/api/users/${id}/sign-out`, {}),
  account: () => request<OwnAccount>('GET', '/api/account'),
  changePassword: (current_password: string, new_password: string) =>
    request<{ other_sessions_ended: number }>('POST', '/api/account/password', { current_password, new_password }),
  signOutEverywhere: () => request<{ sessions_ended: number }>('POST', '/api/account/sign-out-everywhere', {}),
  startTwoStep: (password: string) => request<{ secret: string; uri: string }>('POST', '/api/account/two-step/start', { password }),
  confirmTwoStep: (password: string, code: string) =>
    request<{ two_step: boolean }>('POST', '/api/account/two-step/confirm', { password, code }),
  turnOffTwoStep: (password: string) => request<{ two_step: boolean }>('POST', '/api/account/two-step/off', { password }),
  audit: (filter: { before?: string; action?: string; actor?: string }) => {
    const query = new URLSearchParams({ limit: '50' });
    if (filter.before) query.set('before', filter.before);
    if (filter.action) query.set('action', filter.action);
    if (filter.actor) query.set('actor', filter.actor);
    return request<{ entries: AuditEntry[]; next: string | null; actions: string[] }>('GET', `/api/audit?${query}`);
  },
  verifyAudit: () =>
    request<{ intact: boolean; entries: number; first_broken: number | null; reason: string }>('GET', '/api/audit/verify'),
};

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function whenUs(us: number | null): string {
  return us === null ? 'Never' : dateFormat.format(new Date(us / 1000));
}
