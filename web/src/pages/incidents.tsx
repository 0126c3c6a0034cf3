import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, request, type CaptureDetail } from '../api';
import { PageLink, SeverityBadge } from '../components/capture_table';
import { ErrorSummary } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { useAction } from '../components/use_action';
import { navigate } from '../navigation';
import { categoryName, localTime } from '../wording';
import { IncidentDetailPage } from './incident_detail';
import './incidents.css';

// The incidents API (firmware/src/web/api/incidents.cpp, web/openapi.json).
export type IncidentStatus = 'new' | 'in_review' | 'action_taken' | 'escalated' | 'no_further_action' | 'closed';

export interface IncidentSummary {
  id: number;
  title: string | null; // null: this sign-in's key does not open it
  status: IncidentStatus;
  escalated_to: string | null;
  assignee: string | null;
  open: boolean;
  opened: string;
  opened_by: string;
  closed: string | null;
  age_seconds: number;
  captures: number;
  first_capture: string | null;
  first_review: string | null;
  review_seconds: number | null;
  waiting_seconds: number | null;
}

export interface IncidentDetail extends IncidentSummary {
  notes: { id: number; time: string; author: string; text: string | null }[];
  intervention: string | null;
  intervention_recorded: boolean;
  history: { time: string; actor: string; change: string }[];
  capture_list: { id: number; deleted: boolean; time?: string; category?: string; severity?: number; phrase?: string; device?: string }[];
  assignees: { username: string; display_name: string }[];
  sealed: boolean;
}

export const incidentsApi = {
  list: (status = '') =>
    request<{ incidents: IncidentSummary[] }>('GET', `/api/incidents${status ? `?status=${encodeURIComponent(status)}` : ''}`),
  open: (title: string, captureIds: number[]) =>
    request<{ id: number }>('POST', '/api/incidents', { title, capture_ids: captureIds }),
  detail: (id: number) => request<IncidentDetail>('GET', `/api/incidents/${id}`),
  setStatus: (id: number, status: IncidentStatus, escalatedTo?: string) =>
    request<IncidentSummary>('PUT', `/api/incidents/${id}/status`, { status, escalated_to: escalatedTo }),
  assign: (id: number, assignee: string | null) => request<IncidentSummary>('PUT', `/api/incidents/${id}/assignee`, { assignee }),
  addNote: (id: number, text: string) => request<{ id: number }>('POST', `/api/incidents/${id}/notes`, { text }),
  recordIntervention: (id: number, text: string) =>
    request<{ id: number }>('PUT', `/api/incidents/${id}/intervention`, { text }),
  // Records in the audit log that the record is about to be printed or saved as a PDF.
  exportRecord: (id: number) => request<{ id: number }>('POST', `/api/incidents/${id}/export`, {}),
};

export const statusNames: Record<IncidentStatus, string> = {
  new: 'New',
  in_review: 'In review',
  action_taken: 'Action taken',
  escalated: 'Escalated',
  no_further_action: 'No further action',
  closed: 'Closed',
};

export const escalationNames: Record<string, string> = {
  dsl: 'the DSL',
  police: 'the police',
  prevent: 'Prevent',
  social_care: "children's social care",
};

// "3 days", "5 hours", "12 minutes": how long, in the largest whole unit.
export function duration(seconds: number): string {
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return 'under a minute';
}

export function IncidentStatusBadge({ incident }: { incident: Pick<IncidentSummary, 'status' | 'escalated_to'> }) {
  const words =
    incident.status === 'escalated' && incident.escalated_to
      ? `Escalated to ${escalationNames[incident.escalated_to] ?? incident.escalated_to}`
      : statusNames[incident.status];
  return <span class={`incident-status incident-status-${incident.status}`}>{words}</span>;
}

// /incidents lists; /incidents/new?captures=4,5 opens one; /incidents/7 shows one.
export function IncidentsPage({ pathname, onSessionEnded }: { pathname: string; onSessionEnded: () => void }) {
  const match = /^\/incidents\/(\d+)\/?$/.exec(pathname);
  if (match) return <IncidentDetailPage id={Number(match[1])} onSessionEnded={onSessionEnded} />;
  if (/^\/incidents\/new\/?$/.test(pathname)) return <NewIncident onSessionEnded={onSessionEnded} />;
  return <IncidentList onSessionEnded={onSessionEnded} />;
}

const filters: { value: string; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'new', label: 'New' },
  { value: 'in_review', label: 'In review' },
  { value: 'action_taken', label: 'Action taken' },
  { value: 'escalated', label: 'Escalated' },
  { value: 'no_further_action', label: 'No further action' },
  { value: 'closed', label: 'Closed' },
];

function IncidentList({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [status, setStatus] = useState(() => new URLSearchParams(location.search).get('status') ?? '');
  const [incidents, setIncidents] = useState<IncidentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    incidentsApi.list(status).then(
      (answer) => setIncidents(answer.incidents),
      (failure) => {
        if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
        else setError((failure as Error).message);
      },
    );
  }, [status]);

  function choose(value: string) {
    history.replaceState(null, '', value ? `/incidents?status=${value}` : '/incidents');
    setStatus(value);
  }

  return (
    <section aria-labelledby="incidents-heading" class="incidents">
      <PageHeading
        id="incidents-heading"
        title="Incidents"
        summary="Every concern being followed up, open ones first. To open one, start from a capture: its page has an “Open an incident” button, or tick several captures in the Captures list."
      />
      <div class="card incident-filter">
        <label for="incident-status-filter">Show</label>
        <select id="incident-status-filter" value={status} onChange={(event) => choose((event.target as HTMLSelectElement).value)}>
          {filters.map((filter) => (
            <option key={filter.value} value={filter.value}>
              {filter.label}
            </option>
          ))}
        </select>
      </div>
      <ErrorSummary message={error} />
      {incidents === null && !error && (
        <p class="quiet" role="status">
          Loading incidents…
        </p>
      )}
      {incidents !== null && incidents.length === 0 && (
        <p class="card empty">
          {status ? 'No incident has this status.' : 'No incident has been opened yet. Open one from a capture that needs following up.'}
        </p>
      )}
      {incidents !== null && incidents.length > 0 && (
        <div class="table-wrap">
          <table class="captures incident-table">
            <caption class="visually-hidden">Incidents, open ones first</caption>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Status</th>
                <th scope="col">Age</th>
                <th scope="col">Who follows it up</th>
                <th scope="col">Captures</th>
                <th scope="col">Capture to first review</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((incident) => (
                <tr key={incident.id}>
                  <td data-label="Incident">
                    <PageLink href={`/incidents/${incident.id}`}>
                      {incident.title ?? `Incident ${incident.id} (sealed)`}
                    </PageLink>
                    <span class="kind">Opened {localTime(incident.opened)} by {incident.opened_by}</span>
                  </td>
                  <td data-label="Status">
                    <IncidentStatusBadge incident={incident} />
                  </td>
                  <td data-label="Age">{duration(incident.age_seconds)}</td>
                  <td data-label="Follows up">{incident.assignee ?? <span class="quiet">Nobody yet</span>}</td>
                  <td data-label="Captures">{incident.captures}</td>
                  <td data-label="To review">
                    {incident.review_seconds !== null ? (
                      duration(incident.review_seconds)
                    ) : incident.waiting_seconds !== null ? (
                      <span class="waiting">Waiting {duration(incident.waiting_seconds)}</span>
                    ) : (
                      <span class="quiet">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// Opening an incident from the captures named in the address (?captures=4,5): a
// capture's page links here.
function NewIncident({ onSessionEnded }: { onSessionEnded: () => void }) {
  const ids = (new URLSearchParams(location.search).get('captures') ?? '')
    .split(',')
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);
  const [captures, setCaptures] = useState<CaptureDetail[]>([]);
  const [title, setTitle] = useState('');
  const { error, setError, busy, failed, act } = useAction(onSessionEnded);

  useEffect(() => {
    Promise.all(ids.map((id) => api.capture(id))).then(setCaptures, failed);
  }, []);

  async function open(event: Event) {
    event.preventDefault();
    setError(null);
    if (!title.trim()) {
      setError('Give the incident a short title.');
      document.getElementById('incident-title')?.focus();
      return;
    }
    // No success note: the incident's own page opens instead.
    await act(async () => {
      const { id } = await incidentsApi.open(title.trim(), ids);
      navigate(`/incidents/${id}`);
    }, '');
  }

  return (
    <section aria-labelledby="new-incident-heading" class="incidents">
      <p class="back">
        <PageLink href="/incidents">← All incidents</PageLink>
      </p>
      <PageHeading
        id="new-incident-heading"
        title="Open an incident"
        summary="An incident records how a concern was followed up. The captures below are kept while it is open."
      />
      <ErrorSummary message={error} />
      {ids.length === 0 ? (
        <p class="card empty">
          Choose a capture first: open it from the <PageLink href="/captures">Captures</PageLink> page and use “Open an incident”, or
          tick several captures in the list.
        </p>
      ) : (
        <form class="card incident-form" onSubmit={open}>
          <h2>Captures</h2>
          <ul class="incident-captures">
            {captures.map((capture) => (
              <li key={capture.id}>
                <PageLink href={`/captures/${capture.id}`}>{localTime(capture.time)}</PageLink> {categoryName(capture.category)}{' '}
                <SeverityBadge severity={capture.severity} /> <span class="phrase">{capture.phrase}</span>
              </li>
            ))}
          </ul>
          <div class="field">
            <label for="incident-title">Title</label>
            <p id="incident-title-hint" class="hint">
              A few words, e.g. “Searches about self-harm, Year 5”. It is sealed like the evidence.
            </p>
            <input
              id="incident-title"
              value={title}
              maxLength={200}
              aria-describedby="incident-title-hint"
              onInput={(event) => setTitle((event.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" class="button" disabled={busy}>
            Open the incident
          </button>
        </form>
      )}
    </section>
  );
}
