// The Alerts page's part of the API (web/openapi.json: /api/alerts/…).
import { request } from '../api';

export interface TimeRange {
  from: string; // "HH:MM", the box's local time
  to: string;
}

export interface AlertRuleFields {
  name: string;
  enabled: boolean;
  min_severity: number;
  categories: string[]; // none: every category
  group_ids: number[]; // none: anyone
  repeat_count: number;
  repeat_window_minutes: number;
  active_hours: TimeRange | null;
  term_time_only: boolean;
  quiet_hours: TimeRange | null;
  delivery: 'immediate' | 'digest';
  recipients: string[]; // "dsl" or email addresses
}

export interface AlertRule extends AlertRuleFields {
  id: number;
  summary: string;
}

export interface AlertSettings {
  group_window_minutes: number;
  digest_time: string;
  link_base: string;
  term_dates: string;
}

export interface AlertRules {
  rules: AlertRule[];
  settings: AlertSettings;
  categories: { id: string; title: string }[];
  groups: { id: number; name: string }[];
  can_edit: boolean;
}

export type OutboxState = 'queued' | 'retrying' | 'sent' | 'failed';

export interface OutboxMessage {
  id: number;
  kind: 'alert' | 'digest' | 'report';
  subject: string;
  recipients: string[];
  attachment_name: string;
  created: string;
  state: OutboxState;
  attempts: number;
  next_attempt: string | null;
  last_answer: string;
  sent: string | null;
}

export interface Outbox {
  messages: OutboxMessage[];
  counts: { waiting: number; retrying: number; failed: number; sent_last_day: number };
}

export interface AlertsSummary {
  notifications: number;
  failed: number;
  retrying: number;
}

export const alertsApi = {
  rules: () => request<AlertRules>('GET', '/api/alerts/rules'),
  addRule: (rule: AlertRuleFields) => request<AlertRule>('POST', '/api/alerts/rules', rule),
  changeRule: (id: number, fields: Partial<AlertRuleFields>) => request<AlertRule>('PUT', `/api/alerts/rules/${id}`, fields),
  removeRule: (id: number) => request<{ id: number }>('DELETE', `/api/alerts/rules/${id}`, {}),
  setSettings: (settings: Partial<AlertSettings>) => request<AlertSettings>('PUT', '/api/alerts/settings', settings),
  outbox: () => request<Outbox>('GET', '/api/alerts/outbox'),
  retry: (id: number) => request<OutboxMessage>('POST', `/api/alerts/outbox/${id}/retry`, {}),
  summary: () => request<AlertsSummary>('GET', '/api/alerts/summary'),
};
