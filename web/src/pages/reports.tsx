import { useEffect, useState } from 'preact/hooks';
import { can, type User } from '../api';
import { PageLink } from '../components/capture_table';
import { ErrorSummary, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { useAction } from '../components/use_action';
import {
  reportLinks,
  reportsApi,
  type Audience,
  type Period,
  type ReportKind,
  type ReportsOverview,
  type StoredReport,
} from './reports_api';
import './reports.css';

// The reports the box keeps and makes (issue 7 items 3–4), for the DSL, the deputy and
// the headteacher (see_reports): the kept reports to download, a report of any period,
// the DSL's copy with pupils' names, the inspection evidence pack with the school's
// annual review, and the notices to print.
export function ReportsPage({ user, onSessionEnded }: { user: User; onSessionEnded: () => void }) {
  const [overview, setOverview] = useState<ReportsOverview | null>(null);
  const { error, failed } = useAction(onSessionEnded);

  async function load() {
    const answer = await reportsApi.list();
    // The annual review recorded on this page stays shown if the list leaves it out.
    setOverview((shown) => ({ ...answer, annual_review: answer.annual_review ?? shown?.annual_review ?? null }));
  }

  useEffect(() => {
    load().catch(failed);
  }, []);

  return (
    <section class="reports" aria-labelledby="reports-heading">
      <PageHeading
        id="reports-heading"
        title="Reports"
        summary="Reports on concerns for staff and governors, the inspection evidence pack, and notices to print."
      />
      <ErrorSummary message={error} />
      {!overview && !error && (
        <p class="quiet" role="status">
          Loading reports…
        </p>
      )}
      {overview && (
        <>
          <KeptReports overview={overview} />
          <MakeReport canSeeNames={can(user, 'see_people')} onSessionEnded={onSessionEnded} onMade={load} />
          <Inspection
            annualReview={overview.annual_review ?? null}
            onSessionEnded={onSessionEnded}
            onRecorded={(time) => setOverview((shown) => shown && { ...shown, annual_review: time })}
          />
          <Notices />
        </>
      )}
    </section>
  );
}

// "2026-03-02" as the local day it names, or null.
function dateOf(day: string): Date | null {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return parts ? new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])) : null;
}

function dayText(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

// The form's starting period: the last whole week, Monday to Sunday.
export function lastWeek(today = new Date()): Period {
  const sinceMonday = (today.getDay() + 6) % 7;
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - sinceMonday - 7);
  const sunday = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 6);
  return { first_day: dayText(monday), last_day: dayText(sunday) };
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const fullDay = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const madeAt = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

// "16 Nov – 22 Nov 2026"; "28 Dec 2026 – 3 Jan 2027"; "16 Nov 2026" for one day.
export function periodInWords(first: string, last: string): string {
  const from = dateOf(first);
  const to = dateOf(last);
  if (!from || !to) return `${first} to ${last}`;
  if (first === last) return dayMonthYear.format(from);
  const start = from.getFullYear() === to.getFullYear() ? dayMonth.format(from) : dayMonthYear.format(from);
  return `${start} – ${dayMonthYear.format(to)}`;
}

function timeInWords(iso: string, format: Intl.DateTimeFormat): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}

function sizeInWords(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// "dsl,bursar@school.uk" → "the DSL and bursar@school.uk".
function recipientsInWords(recipients: string): string {
  const names = recipients
    .split(',')
    .map((recipient) => recipient.trim())
    .filter(Boolean)
    .map((recipient) => (recipient === 'dsl' ? 'the DSL' : recipient));
  return listInWords(names.length ? names : ['the DSL']);
}

function audienceInWords(kind: ReportKind): string {
  return kind === 'governors' || kind === 'termly' ? 'For governors: counts only, no pupils' : 'For staff: pupils by reference number';
}

function KeptReports({ overview }: { overview: ReportsOverview }) {
  const termsSet = overview.term_dates.trim() !== '';
  return (
    <section class="card reports-card" aria-labelledby="kept-reports-heading">
      <h2 id="kept-reports-heading">Reports kept on the box</h2>
      <p>
        Every Monday at {overview.weekly_time} the box makes the weekly report of the week before.{' '}
        {termsSet ? (
          <>
            After each term it makes a report for governors, with counts only and no pupils (the term dates are in the{' '}
            <PageLink href="/alerts">Alerts page's settings</PageLink>).
          </>
        ) : (
          <>
            It also makes a report for governors after each term once the term dates are set in the{' '}
            <PageLink href="/alerts">Alerts page's settings</PageLink>.
          </>
        )}{' '}
        Each one is kept here and emailed as a PDF to {recipientsInWords(overview.recipients)}.
      </p>
      {overview.reports.length === 0 ? (
        <p class="empty quiet">
          No report has been made yet. The first weekly report comes on Monday at {overview.weekly_time}; you can make one for any
          period now, below.
        </p>
      ) : (
        <ul class="report-list">
          {overview.reports.map((report) => (
            <ReportItem key={report.id} report={report} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ReportItem({ report }: { report: StoredReport }) {
  const period = periodInWords(report.first_day, report.last_day);
  const by = report.created_by === 'schedule' ? "by the box's schedule" : `by ${report.created_by}`;
  return (
    <li class="report">
      <div>
        <h3>{report.title}</h3>
        <p class="report-period">{period}</p>
        <p class="quiet report-meta">
          {audienceInWords(report.kind)}. Made {timeInWords(report.created, madeAt)} {by}. {sizeInWords(report.bytes)}.
        </p>
      </div>
      <a class="button button-quiet" href={reportLinks.pdf(report.id)} download>
        Download PDF<span class="visually-hidden">: {report.title}, {period}</span>
      </a>
    </li>
  );
}

function MakeReport({
  canSeeNames,
  onSessionEnded,
  onMade,
}: {
  canSeeNames: boolean;
  onSessionEnded: () => void;
  onMade: () => Promise<void>;
}) {
  const [period, setPeriod] = useState<Period>(() => lastWeek());
  const [audience, setAudience] = useState<Audience>('staff');
  const [made, setMade] = useState<StoredReport | null>(null);
  const { error, setError, busy, act } = useAction(onSessionEnded, onMade);
  const periodChosen = dateOf(period.first_day) !== null && dateOf(period.last_day) !== null;
  // The copy with names is a plain download: offered only for a period the box accepts.
  const namesPeriodOk = periodChosen && period.first_day <= period.last_day;

  function setDay(which: keyof Period) {
    return (event: Event) => setPeriod((shown) => ({ ...shown, [which]: (event.target as HTMLInputElement).value }));
  }

  async function submit(event: Event) {
    event.preventDefault();
    setMade(null);
    if (!periodChosen) {
      setError('Choose the first and the last day of the report.');
      document.getElementById(dateOf(period.first_day) ? 'report-last-day' : 'report-first-day')?.focus();
      return;
    }
    // The box checks the period and says what is wrong with it (last day too early,
    // longer than 400 days).
    await act(async () => setMade((await reportsApi.make(audience, period)).report), '');
  }

  return (
    <section class="card reports-card" aria-labelledby="make-report-heading">
      <h2 id="make-report-heading">Make a report</h2>
      <p class="quiet">A report of any period, up to 400 days. It is kept with the others above; it is not emailed.</p>
      <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="make-report-heading">
        <div class="report-days">
          <div class="field">
            <label for="report-first-day">First day</label>
            <input id="report-first-day" type="date" value={period.first_day} onInput={setDay('first_day')} />
          </div>
          <div class="field">
            <label for="report-last-day">Last day</label>
            <input id="report-last-day" type="date" value={period.last_day} onInput={setDay('last_day')} />
          </div>
        </div>
        <fieldset class="report-audience">
          <legend>For</legend>
          <div class="check-field">
            <input
              id="report-for-staff"
              type="radio"
              name="report-audience"
              checked={audience === 'staff'}
              onChange={() => setAudience('staff')}
            />
            <label for="report-for-staff">
              Staff <span class="choice-hint">— pupils by reference number, for the DSL, the deputy and the headteacher</span>
            </label>
          </div>
          <div class="check-field">
            <input
              id="report-for-governors"
              type="radio"
              name="report-audience"
              checked={audience === 'governors'}
              onChange={() => setAudience('governors')}
            />
            <label for="report-for-governors">
              Governors <span class="choice-hint">— counts only, no pupils</span>
            </label>
          </div>
        </fieldset>
        <ErrorSummary message={error} />
        {made && (
          <div class="alert alert-success" role="status">
            The report for {periodInWords(made.first_day, made.last_day)} is made and is now at the top of the list.{' '}
            <a href={reportLinks.pdf(made.id)} download>
              Download it<span class="visually-hidden">: {made.title}</span>
            </a>
          </div>
        )}
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Making the report…' : 'Make the report'}
        </button>
      </form>
      {canSeeNames && (
        <div class="names-copy">
          <h3>A copy with pupils' names</h3>
          <p class="quiet">
            For the same period, with pupils named instead of numbered. The box makes it for you now and does not keep it, and
            the download is recorded in the audit log. Keep it as you keep safeguarding records.
          </p>
          {namesPeriodOk ? (
            <a class="button button-quiet" href={reportLinks.withNames(period)} download>
              Download a copy with pupils' names
            </a>
          ) : (
            <p>Choose the first and the last day above, the last on or after the first.</p>
          )}
        </div>
      )}
    </section>
  );
}

function Inspection({
  annualReview,
  onSessionEnded,
  onRecorded,
}: {
  annualReview: string | null;
  onSessionEnded: () => void;
  onRecorded: (time: string) => void;
}) {
  const [note, setNote] = useState('');
  const { error, done, busy, act } = useAction(onSessionEnded);

  async function submit(event: Event) {
    event.preventDefault();
    const recorded = await act(
      async () => onRecorded((await reportsApi.recordAnnualReview(note.trim())).annual_review),
      'Your annual review is recorded.',
    );
    if (recorded) setNote('');
  }

  return (
    <section class="card reports-card" aria-labelledby="inspection-heading">
      <h2 id="inspection-heading">For an inspection</h2>
      <p>
        The evidence pack answers the DfE filtering and monitoring standards and Keeping Children Safe in Education, item by
        item, from the box's own records. The items only the school can answer are left blank for you to fill in.
      </p>
      <p>
        <a class="button" href={reportLinks.evidencePack} download>
          Download the inspection evidence pack (PDF)
        </a>
      </p>
      <h3 id="annual-review-heading">Annual review of filtering and monitoring</h3>
      <p class="quiet">
        The DfE standards ask the school to review its filtering and monitoring at least once a year. The evidence pack shows the
        last review recorded here.
      </p>
      <p class="annual-review-last">
        {annualReview ? (
          <>
            <strong>Last recorded:</strong> {timeInWords(annualReview, fullDay)}
          </>
        ) : (
          <strong>Not recorded yet.</strong>
        )}
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="annual-review-heading">
        <div class="field">
          <label for="annual-review-note">Note (optional)</label>
          <p class="hint" id="annual-review-note-hint">
            For example who took part and what was changed.
          </p>
          <textarea
            id="annual-review-note"
            rows={3}
            maxLength={2000}
            value={note}
            aria-describedby="annual-review-note-hint"
            onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)}
          />
        </div>
        <ErrorSummary message={error} />
        <SuccessNote message={done} />
        <button type="submit" class="button button-quiet" disabled={busy}>
          Record that we did our annual review today
        </button>
      </form>
    </section>
  );
}

function Notices() {
  return (
    <section class="card reports-card" aria-labelledby="notices-heading">
      <h2 id="notices-heading">Notices to print</h2>
      <p class="quiet">
        In the school's name. The monitoring guidance expects pupils, staff and visitors to be told that the network is monitored
        and why.
      </p>
      <ul class="notice-list">
        <li>
          <a href={reportLinks.acceptableUse} download>
            Acceptable-use statement (PDF)
          </a>
          <span class="quiet">What is monitored and why, in words for pupils, for staff and for visitors and parents.</span>
        </li>
        <li>
          <a href={reportLinks.poster} download>
            Classroom poster (PDF)
          </a>
          <span class="quiet">One A4 page for classroom walls and the entrance.</span>
        </li>
      </ul>
    </section>
  );
}
