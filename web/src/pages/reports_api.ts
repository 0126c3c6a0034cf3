// The Reports page's part of the API (firmware/src/web/api/reports.cpp, web/openapi.json:
// /api/reports/…). The PDFs are plain GETs: the page links to them and the browser sends
// the session cookie, so they download like any file (and the box audits each one).
import { request } from '../api';

export type ReportKind = 'weekly' | 'termly' | 'custom' | 'governors';
export type Audience = 'staff' | 'governors';

export interface StoredReport {
  id: number;
  kind: ReportKind;
  title: string;
  first_day: string; // "YYYY-MM-DD", both days included
  last_day: string;
  created: string; // ISO time
  created_by: string; // a username, or "schedule"
  bytes: number;
}

export interface ReportsOverview {
  reports: StoredReport[];
  weekly_time: string; // "HH:MM", the box's local time, on Mondays
  recipients: string; // comma-separated: "dsl" or email addresses
  term_dates: string; // one term a line; empty: none set
  annual_review?: string | null; // when the school last recorded its annual review
}

export interface Period {
  first_day: string;
  last_day: string;
}

export const reportsApi = {
  list: () => request<ReportsOverview>('GET', '/api/reports'),
  make: (audience: Audience, period: Period) =>
    request<{ report: StoredReport }>('POST', '/api/reports', { audience, ...period }),
  recordAnnualReview: (note: string) => request<{ annual_review: string }>('POST', '/api/reports/annual-review', { note }),
};

export const reportLinks = {
  pdf: (id: number) => `/api/reports/${id}/pdf`,
  withNames: (period: Period) => `/api/reports/with-names.pdf?${new URLSearchParams({ ...period })}`,
  evidencePack: '/api/reports/evidence-pack.pdf',
  acceptableUse: '/api/reports/notices/acceptable-use.pdf',
  poster: '/api/reports/notices/poster.pdf',
};
