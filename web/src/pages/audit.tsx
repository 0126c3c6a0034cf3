import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorSummary } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { accountsApi, whenUs, type AuditEntry } from './accounts_api';
import './accounts.css';

// What each action in the audit log means, in words.
const actionWords: Record<string, string> = {
  login: 'Signed in',
  login_failed: 'Sign-in refused',
  login_locked: 'Sign-in refused (name locked)',
  logout: 'Signed out',
  sign_out_everywhere: 'Signed out everywhere',
  setup: 'Set up the box',
  evidence_view: 'Opened evidence',
  evidence_export: 'Downloaded evidence',
  password_change: 'Changed their password',
  two_step_change: 'Changed two-step sign-in',
  recover: 'Used the recovery key',
  settings_change: 'Changed a setting',
  account_change: 'Changed staff accounts',
  library_change: 'Changed the library',
  purge: 'Deleted expired captures',
  erasure: 'Erased data on request',
  incident_export: 'Printed an incident record',
};

export function actionName(action: string): string {
  return actionWords[action] ?? action.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

// Who did what, and when: newest first, a page at a time.
export function AuditPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [actions, setActions] = useState<string[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [chain, setChain] = useState<{ intact: boolean; entries: number; first_broken: number | null; reason: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }
  async function load(before?: string) {
    setError(null);
    try {
      const page = await accountsApi.audit({ before, action, actor: actor.trim() });
      setEntries((earlier) => (before && earlier ? [...earlier, ...page.entries] : page.entries));
      setNext(page.next);
      setActions(page.actions);
    } catch (failure) {
      failed(failure);
    }
  }
  useEffect(() => {
    void load();
  }, [action]);
  useEffect(() => {
    accountsApi.verifyAudit().then(setChain, failed);
  }, []);

  return (
    <section aria-labelledby="audit-heading" class="audit-page">
      <PageHeading id="audit-heading" title="Audit log" summary="Everything people did on the box, newest first. Entries can never be changed or removed." />
      {chain && (
        <p class={`card ${chain.intact ? 'chain-ok' : 'chain-broken'}`} role="status">
          {chain.intact
            ? `The log is intact: all ${chain.entries} entries check out, none was changed or removed.`
            : `Warning: the log has been tampered with from entry ${chain.first_broken}: ${chain.reason}. Tell the headteacher and keep the box as it is.`}
        </p>
      )}
      <ErrorSummary message={error} />
      <form
        class="audit-filters card"
        onSubmit={(event) => {
          event.preventDefault();
          void load();
        }}
      >
        <div class="field">
          <label for="audit-action">What</label>
          <select id="audit-action" value={action} onChange={(e) => setAction((e.target as HTMLSelectElement).value)}>
            <option value="">Everything</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {actionName(a)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-actor">Who (user name)</label>
          <input id="audit-actor" value={actor} onInput={(e) => setActor((e.target as HTMLInputElement).value)} spellcheck={false} />
        </div>
        <button type="submit" class="button">
          Show
        </button>
      </form>
      {entries !== null && entries.length === 0 && <p class="card">Nothing matches.</p>}
      {entries !== null && entries.length > 0 && (
        <div class="table-wrap">
          <table class="audit-table">
            <caption class="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">{whenUs(entry.ts_us)}</td>
                  <td data-label="Who">{entry.actor}</td>
                  <td data-label="What">{actionName(entry.action)}</td>
                  <td data-label="Details">{entry.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <div class="more">
          <button type="button" class="button button-quiet" onClick={() => void load(next)}>
            Show older entries
          </button>
        </div>
      )}
    </section>
  );
}
