import { request } from '../api';

// The System page's and the setup wizard's part of the API (web/openapi.json):
// firmware/src/web/api/system.cpp, setup.cpp and settings.cpp.

export interface CaptureCheck {
  mode: 'live' | 'replay' | 'none';
  source: string;
  finished: boolean;
  packets: number;
  bytes: number;
  packets_recent: number;
  devices: number;
  devices_recent: number;
  window_seconds: number;
  last_packet: string | null;
  drops: { ring: number; kernel: number; interface: number };
}

export type MailSecurity = 'starttls' | 'tls' | 'none';

export interface MailSettings {
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  from_address: string;
  verify_certificate: boolean;
  password_saved: boolean;
  configured: boolean;
  problem: string | null;
}

export interface MailSettingsInput {
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  from_address: string;
  password?: string; // absent: keep the saved one
}

export interface SchoolSettings {
  school_name: string;
  dsl_email?: string; // only for the headteacher and DSLs
  can_edit: boolean;
}

export interface WizardStep {
  id: 'school' | 'retention' | 'dsl' | 'mail' | 'mirror';
  title: string;
  state: 'todo' | 'done' | 'skipped';
}

export interface Wizard {
  steps: WizardStep[];
  next: WizardStep['id'] | null;
  started: boolean; // set up from the setup page (not through the API alone)
  finished: boolean;
}

export interface NetworkInterface {
  name: string;
  up: boolean;
  addresses: string[];
  role: 'mirror' | 'management' | 'other';
  rx_packets: number | null;
  rx_bytes: number | null;
  rx_dropped: number | null;
  rx_errors: number | null;
  tx_packets: number | null;
}

export interface SystemOverview {
  capture: CaptureCheck;
  interfaces: NetworkInterface[];
  storage: {
    data_folder_bytes: number;
    free_bytes?: number;
    total_bytes?: number;
    captures?: number;
    oldest_capture?: string | null;
  };
  time: { now: string; synchronised: boolean | null; max_error_ms?: number };
  library: { source: 'starter' | 'bundle' | 'unreadable'; version?: number | null; installed?: string | null; publisher?: string; problem?: string };
  uptime: { daemon_seconds: number; daemon_started: string; box_seconds?: number };
  version: string;
  can_restart: boolean;
}

export const systemApi = {
  overview: () => request<SystemOverview>('GET', '/api/system'),
  capture: (seconds = 10) => request<CaptureCheck>('GET', `/api/system/capture?seconds=${seconds}`),
  mail: () => request<MailSettings>('GET', '/api/system/mail'),
  setMail: (settings: MailSettingsInput) => request<MailSettings>('PUT', '/api/system/mail', settings),
  testMail: (to: string) =>
    request<{ sent: boolean; to: string; message: string }>('POST', '/api/system/mail/test', { to }),
  restart: () => request<{ restarting: boolean; message: string }>('POST', '/api/system/restart', {}),
  school: () => request<SchoolSettings>('GET', '/api/settings/school'),
  setSchool: (fields: { school_name?: string; dsl_email?: string }) =>
    request<SchoolSettings>('PUT', '/api/settings/school', fields),
  wizard: () => request<Wizard>('GET', '/api/setup/wizard'),
  markStep: (step: WizardStep['id'], state: WizardStep['state']) =>
    request<Wizard>('PUT', '/api/setup/wizard', { step, state }),
  finishWizard: () => request<Wizard>('PUT', '/api/setup/wizard', { finished: true }),
};

// "1.4 GB", for sizes the headteacher reads.
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-GB');
}

// "3 days, 4 hours" for an uptime.
export function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) return `${plural(days, 'day')}, ${plural(hours, 'hour')}`;
  if (hours > 0) return `${plural(hours, 'hour')}, ${plural(minutes, 'minute')}`;
  return plural(Math.max(minutes, 0), 'minute');
}
