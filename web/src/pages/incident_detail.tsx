import { useEffect, useState } from 'preact/hooks';
import { PageLink, SeverityBadge } from '../components/capture_table';
import { ErrorSummary, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { systemApi } from '../components/system_api';
import { useAction } from '../components/use_action';
import { categoryName, localTime } from '../wording';
import {
  duration,
  escalationNames,
  IncidentStatusBadge,
  incidentsApi,
  statusNames,
  type IncidentDetail,
  type IncidentStatus,
} from './incidents';

// Where an incident can go next, in the order the page offers them.
const nextStatuses: IncidentStatus[] = ['in_review', 'action_taken', 'escalated', 'no_further_action', 'closed'];

// One incident: what it is about, where it stands, who follows it up, its dated notes,
// the intervention and its full history. Sealed text opens with this sign-in's key;
// the box records the opening in the audit log.
export function IncidentDetailPage({ id, onSessionEnded }: { id: number; onSessionEnded: () => void }) {
  const [incident, setIncident] = useState<IncidentDetail | null>(null);
  const { error, setError, done, busy, failed, act } = useAction(onSessionEnded, load);
  const [status, setStatus] = useState<IncidentStatus>('in_review');
  const [escalatedTo, setEscalatedTo] = useState('dsl');
  const [note, setNote] = useState('');
  const [intervention, setIntervention] = useState('');
  const [assignee, setAssignee] = useState('');
  const [schoolName, setSchoolName] = useState('');

  async function load() {
    try {
      const loaded = await incidentsApi.detail(id);
      setIncident(loaded);
      setIntervention(loaded.intervention ?? '');
      setAssignee(loaded.assignee ?? '');
      const after = nextStatuses.find((next) => next !== loaded.status && nextStatuses.indexOf(next) > nextStatuses.indexOf(loaded.status as IncidentStatus));
      setStatus(after ?? 'in_review');
    } catch (failure) {
      failed(failure);
    }
  }

  useEffect(() => {
    void load();
  }, [id]);

  // The school's name heads the printed record. Without it the record still prints.
  useEffect(() => {
    systemApi.school().then(
      (school) => setSchoolName(school.school_name ?? ''),
      () => setSchoolName(''),
    );
  }, []);

  // A printed (or PDF) copy leaves the box, so the box records it in the audit log
  // first; if it cannot, the page says why and does not print.
  function printRecord() {
    return act(async () => {
      await incidentsApi.exportRecord(id);
      window.print();
    }, 'The printing is recorded in the audit log.');
  }

  if (!incident) {
    return (
      <section aria-labelledby="incident-heading" class="incidents">
        <p class="back">
          <PageLink href="/incidents">← All incidents</PageLink>
        </p>
        <PageHeading id="incident-heading" title={`Incident ${id}`} summary="Opening the incident…" />
        <ErrorSummary message={error} />
      </section>
    );
  }

  return (
    <section aria-labelledby="incident-heading" class="incidents incident-detail">
      <p class="back no-print">
        <PageLink href="/incidents">← All incidents</PageLink>
      </p>
      <p class="print-only print-school">
        {schoolName ? `${schoolName} — ` : ''}incident record {incident.id}, printed {localTime(new Date().toISOString())}
      </p>
      <PageHeading
        id="incident-heading"
        title={incident.title ?? `Incident ${incident.id}`}
        summary={`Opened ${localTime(incident.opened)} by ${incident.opened_by}. Opening this page is recorded in the audit log.`}
      >
        <button type="button" class="button button-quiet no-print" disabled={busy} onClick={() => void printRecord()}>
          Print or save as PDF
        </button>
      </PageHeading>
      <div class="no-print">
        <ErrorSummary message={error} />
        <SuccessNote message={done} />
      </div>
      {incident.sealed && (
        <p class="alert alert-error" role="alert">
          Your sign-in does not hold the key, so the title, notes and intervention stay sealed. Sign out and in again.
        </p>
      )}
      <div class="incident-grid">
        <div class="incident-main">
          <section class="card" aria-labelledby="where-heading">
            <h2 id="where-heading">Where it stands</h2>
            <dl class="facts">
              <dt>Status</dt>
              <dd>
                <IncidentStatusBadge incident={incident} />
              </dd>
              <dt>{incident.open ? 'Open for' : 'Closed'}</dt>
              <dd>{incident.open ? duration(incident.age_seconds) : `${localTime(incident.closed ?? '')}, after ${duration(incident.age_seconds)}`}</dd>
              <dt>Capture to first review</dt>
              <dd>
                {incident.review_seconds !== null
                  ? duration(incident.review_seconds)
                  : incident.waiting_seconds !== null
                    ? `Not reviewed yet — waiting ${duration(incident.waiting_seconds)}`
                    : '—'}
              </dd>
            </dl>
            <form
              class="inline-form no-print"
              onSubmit={(event) => {
                event.preventDefault();
                void act(
                  () => incidentsApi.setStatus(incident.id, status, status === 'escalated' ? escalatedTo : undefined),
                  `Moved to “${statusNames[status]}”.`,
                );
              }}
            >
              <div class="field">
                <label for="incident-next-status">Move to</label>
                <select id="incident-next-status" value={status} onChange={(event) => setStatus((event.target as HTMLSelectElement).value as IncidentStatus)}>
                  {nextStatuses.map((next) => (
                    <option key={next} value={next} disabled={next === incident.status && next !== 'escalated'}>
                      {statusNames[next]}
                    </option>
                  ))}
                </select>
              </div>
              {status === 'escalated' && (
                <div class="field">
                  <label for="incident-escalated-to">Escalated to</label>
                  <select id="incident-escalated-to" value={escalatedTo} onChange={(event) => setEscalatedTo((event.target as HTMLSelectElement).value)}>
                    {Object.entries(escalationNames).map(([value, words]) => (
                      <option key={value} value={value}>
                        {words.charAt(0).toUpperCase() + words.slice(1)}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <button type="submit" class="button" disabled={busy}>
                Change status
              </button>
            </form>
            <form
              class="inline-form no-print"
              onSubmit={(event) => {
                event.preventDefault();
                const chosen = assignee;
                void act(() => incidentsApi.assign(incident.id, chosen || null), chosen ? `Assigned to ${chosen}.` : 'Nobody is assigned now.');
              }}
            >
              <div class="field">
                <label for="incident-assignee">Who follows it up</label>
                <select id="incident-assignee" value={assignee} onChange={(event) => setAssignee((event.target as HTMLSelectElement).value)}>
                  <option value="">Nobody yet</option>
                  {incident.assignees.map((person) => (
                    <option key={person.username} value={person.username}>
                      {person.display_name} ({person.username})
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="button button-quiet" disabled={busy}>
                Assign
              </button>
            </form>
          </section>

          <section class="card" aria-labelledby="intervention-heading">
            <h2 id="intervention-heading">The intervention</h2>
            <p class="print-only note-text">{incident.intervention ?? (incident.intervention_recorded ? '(sealed)' : 'None recorded yet.')}</p>
            <form
              class="no-print"
              onSubmit={(event) => {
                event.preventDefault();
                if (!intervention.trim()) {
                  setError('Say what was done before saving.');
                  return;
                }
                void act(() => incidentsApi.recordIntervention(incident.id, intervention.trim()), 'The intervention is recorded.');
              }}
            >
              <div class="field">
                <label for="incident-intervention">What was done</label>
                <p id="incident-intervention-hint" class="hint">
                  Who was spoken to, what support was put in place, any referral. Sealed like the evidence.
                </p>
                <textarea
                  id="incident-intervention"
                  rows={4}
                  maxLength={20000}
                  aria-describedby="incident-intervention-hint"
                  value={intervention}
                  onInput={(event) => setIntervention((event.target as HTMLTextAreaElement).value)}
                />
              </div>
              <button type="submit" class="button" disabled={busy}>
                {incident.intervention_recorded ? 'Save the change' : 'Record the intervention'}
              </button>
            </form>
          </section>

          <section class="card" aria-labelledby="notes-heading">
            <h2 id="notes-heading">Notes</h2>
            {incident.notes.length === 0 ? (
              <p class="quiet">No notes yet.</p>
            ) : (
              <ol class="notes">
                {incident.notes.map((entry) => (
                  <li key={entry.id}>
                    <p class="note-meta">
                      <time dateTime={entry.time}>{localTime(entry.time)}</time> — {entry.author}
                    </p>
                    <p class="note-text">{entry.text ?? '(sealed)'}</p>
                  </li>
                ))}
              </ol>
            )}
            <form
              class="no-print"
              onSubmit={(event) => {
                event.preventDefault();
                if (!note.trim()) {
                  setError('Write the note before adding it.');
                  return;
                }
                void act(async () => {
                  await incidentsApi.addNote(incident.id, note.trim());
                  setNote('');
                }, 'The note is added.');
              }}
            >
              <div class="field">
                <label for="incident-note">Add a note</label>
                <textarea id="incident-note" rows={3} maxLength={20000} value={note} onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)} />
              </div>
              <button type="submit" class="button button-quiet" disabled={busy}>
                Add the note
              </button>
            </form>
          </section>
        </div>

        <div class="incident-side">
          <section class="card" aria-labelledby="incident-captures-heading">
            <h2 id="incident-captures-heading">Captures</h2>
            <ul class="incident-captures">
              {incident.capture_list.map((capture) =>
                capture.deleted ? (
                  <li key={capture.id} class="quiet">
                    Capture {capture.id} (deleted when its retention period ended)
                  </li>
                ) : (
                  <li key={capture.id}>
                    <PageLink href={`/captures/${capture.id}`}>{localTime(capture.time ?? '')}</PageLink>
                    <span>
                      {categoryName(capture.category ?? '')} <SeverityBadge severity={capture.severity ?? 1} />
                    </span>
                    <span class="phrase">{capture.phrase}</span>
                  </li>
                ),
              )}
            </ul>
          </section>
          <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            <ol class="history">
              {incident.history.map((entry, index) => (
                <li key={index}>
                  <time dateTime={entry.time}>{localTime(entry.time)}</time>
                  <span>
                    <strong>{entry.actor}</strong>: {entry.change}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </section>
  );
}
