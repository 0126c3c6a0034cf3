import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Capture, type CaptureFilter, type User } from '../api';
import { CaptureTable } from '../components/capture_table';
import { ErrorSummary } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { categoryName, reviewStatusName, severityName } from '../wording';
import { CaptureDetailPage } from './capture_detail';
import './captures.css';

// /captures lists; /captures/42 shows one capture.
export function CapturesPage({
  user,
  pathname,
  onSessionEnded,
}: {
  user: User;
  pathname: string;
  onSessionEnded: () => void;
}) {
  const match = /^\/captures\/(\d+)\/?$/.exec(pathname);
  if (match) return <CaptureDetailPage id={Number(match[1])} user={user} onSessionEnded={onSessionEnded} />;
  return <CaptureList onSessionEnded={onSessionEnded} />;
}

// The filters as the page's address holds them: dates as the school's calendar days
// (from, to), everything else as the API names it.
interface FilterForm {
  severity: string;
  category: string;
  status: string;
  device: string;
  from: string; // YYYY-MM-DD, local
  to: string; // YYYY-MM-DD, local, inclusive
  // Set by links from the people and groups pages and the dashboard (ids, never names).
  person: string;
  group: string;
}

const emptyForm: FilterForm = { severity: '', category: '', status: '', device: '', from: '', to: '', person: '', group: '' };

function formFromAddress(): FilterForm {
  const query = new URLSearchParams(location.search);
  const form = { ...emptyForm };
  for (const name of Object.keys(form) as (keyof FilterForm)[]) form[name] = query.get(name) ?? '';
  return form;
}

function addressOf(form: FilterForm): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `/captures?${text}` : '/captures';
}

// Local midnight of a YYYY-MM-DD day, in microseconds since 1970.
function dayStartUs(day: string, plusDays = 0): string | undefined {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!parts) return undefined;
  const date = new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]) + plusDays);
  return String(date.getTime() * 1000);
}

function apiFilter(form: FilterForm): CaptureFilter {
  return {
    severity: form.severity || undefined,
    category: form.category || undefined,
    status: form.status || undefined,
    device: form.device.trim() || undefined,
    from_us: form.from ? dayStartUs(form.from) : undefined,
    until_us: form.to ? dayStartUs(form.to, 1) : undefined,
    person: form.person || undefined,
    group: form.group || undefined,
  };
}

function CaptureList({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [form, setForm] = useState<FilterForm>(formFromAddress);
  const [applied, setApplied] = useState<FilterForm>(formFromAddress);
  const [captures, setCaptures] = useState<Capture[] | null>(null);
  const [categories, setCategories] = useState<{ id: string; title: string }[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function load(filter: FilterForm, before?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await api.captures(before, 50, apiFilter(filter));
      setCaptures((earlier) => (before && earlier ? [...earlier, ...page.captures] : page.captures));
      setCategories(page.categories);
      setNext(page.next);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
      else setError((failure as Error).message);
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load(applied);
  }, [applied]);

  // Back and forward move between filtered views.
  useEffect(() => {
    const update = () => {
      const now = formFromAddress();
      setForm(now);
      setApplied(now);
    };
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);

  function apply(next: FilterForm) {
    history.pushState(null, '', addressOf(next));
    setForm(next);
    setApplied(next);
  }

  const set = (name: keyof FilterForm) => (event: Event) =>
    setForm({ ...form, [name]: (event.target as HTMLInputElement | HTMLSelectElement).value });
  const filtered = Object.values(applied).some((value) => value !== '');

  return (
    <section aria-labelledby="captures-heading">
      <PageHeading
        id="captures-heading"
        title="Captures"
        summary="Things seen on the school network that match the safeguarding list, newest first. Open one to see what was typed or visited."
      >
        <button type="button" class="button button-quiet" onClick={() => void load(applied)} disabled={loading}>
          Refresh
        </button>
      </PageHeading>
      <form
        class="card capture-filters"
        aria-label="Filter captures"
        onSubmit={(event) => {
          event.preventDefault();
          apply(form);
        }}
      >
        <div class="filter-fields">
          <div class="field">
            <label for="filter-status">Status</label>
            <select id="filter-status" value={form.status} onChange={set('status')}>
              <option value="">Any</option>
              {['new', 'reviewed', 'false_positive', 'incident'].map((status) => (
                <option key={status} value={status}>
                  {reviewStatusName(status)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-severity">Severity</label>
            <select id="filter-severity" value={form.severity} onChange={set('severity')}>
              <option value="">Any</option>
              {[5, 4, 3, 2, 1].map((level) => (
                <option key={level} value={String(level)}>
                  {severityName(level)} ({level})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-category">Category</label>
            <select id="filter-category" value={form.category} onChange={set('category')}>
              <option value="">Any</option>
              {categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {categoryName(category.id)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-device">Device</label>
            <input
              id="filter-device"
              type="text"
              value={form.device}
              onInput={set('device')}
              placeholder="MAC or IP address"
              autocomplete="off"
              spellcheck={false}
            />
          </div>
          <div class="field">
            <label for="filter-from">From</label>
            <input id="filter-from" type="date" value={form.from} onInput={set('from')} />
          </div>
          <div class="field">
            <label for="filter-to">To</label>
            <input id="filter-to" type="date" value={form.to} onInput={set('to')} />
          </div>
        </div>
        {(form.person || form.group) && (
          <p class="filter-scope">
            {form.person ? 'Showing the captures of one person (from the devices they had at the time).' : ''}
            {form.group ? 'Showing the captures of one group (its members\' devices at the time).' : ''}{' '}
            <button type="button" class="button-link" onClick={() => apply({ ...form, person: '', group: '' })}>
              Show everyone
            </button>
          </p>
        )}
        <div class="filter-actions">
          <button type="submit" class="button">
            Show captures
          </button>
          {filtered && (
            <button type="button" class="button button-quiet" onClick={() => apply(emptyForm)}>
              Clear filters
            </button>
          )}
        </div>
      </form>
      <ErrorSummary message={error} />
      {captures === null && !error && (
        <p class="quiet" role="status">
          Loading captures…
        </p>
      )}
      {captures !== null && captures.length === 0 && (filtered ? <NoneMatch /> : <EmptyState />)}
      {captures !== null && captures.length > 0 && (
        <>
          <CaptureTable captures={captures} />
          {next && (
            <div class="more">
              <button
                type="button"
                class="button button-quiet"
                onClick={() => void load(applied, next)}
                disabled={loading}
              >
                {loading ? 'Loading…' : 'Show older captures'}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function NoneMatch() {
  return (
    <div class="card empty">
      <h2>No captures match these filters</h2>
      <p>Try a longer time range, or clear the filters to see everything.</p>
    </div>
  );
}

function EmptyState() {
  return (
    <div class="card empty">
      <h2>Nothing has been captured yet</h2>
      <p>
        That is good news. When a device on the school network searches for, visits or types something on the
        safeguarding list (for example about self-harm, bullying or extremism), it appears here within a second or
        two, with the time, the device, and what was matched.
      </p>
      <p class="quiet">
        The box only sees traffic once its monitoring cable is plugged into the switch's mirror port.
      </p>
    </div>
  );
}
