import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, can, type Capture, type CaptureFilter, type User } from '../api';
import { CaptureTable, PageLink } from '../components/capture_table';
import { ErrorSummary } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { categoryName, reviewStatusName, severityName } from '../wording';
import { CaptureDetailPage } from './capture_detail';
import { kindNames, peopleApi, type Group, type Person } from './people';
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
  return <CaptureList user={user} onSessionEnded={onSessionEnded} />;
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
  // Ids, never names (the address is kept in the browser's history): chosen with the
  // pickers, or set by links from the people and groups pages and the dashboard.
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

// How a person appears in the picker: the name and where they belong, so two pupils
// with the same name can be told apart (and, if still the same, their record number).
function personLabels(people: Person[]): Map<number, string> {
  const plain = (person: Person) => {
    const where = person.staff ? 'staff' : person.class || person.year_group;
    return where ? `${person.name} (${where})` : person.name;
  };
  const counts = new Map<string, number>();
  for (const person of people) counts.set(plain(person), (counts.get(plain(person)) ?? 0) + 1);
  return new Map(
    people.map((person) => {
      const label = plain(person);
      return [person.id, (counts.get(label) ?? 0) > 1 ? `${label}, record ${person.id}` : label];
    }),
  );
}

// The person a typed or chosen text names: the exact label, else the one person of
// that name; undefined when it names nobody or more than one.
function personNamed(text: string, people: Person[], labels: Map<number, string>): number | undefined {
  const wanted = text.trim().toLowerCase();
  for (const [id, label] of labels) if (label.toLowerCase() === wanted) return id;
  const named = people.filter((person) => person.name.trim().toLowerCase() === wanted);
  return named.length === 1 ? named[0].id : undefined;
}

function CaptureList({ user, onSessionEnded }: { user: User; onSessionEnded: () => void }) {
  const seesPeople = can(user, 'see_people');
  const handlesIncidents = can(user, 'handle_incidents');
  const [form, setForm] = useState<FilterForm>(formFromAddress);
  const [applied, setApplied] = useState<FilterForm>(formFromAddress);
  const [captures, setCaptures] = useState<Capture[] | null>(null);
  const [categories, setCategories] = useState<{ id: string; title: string }[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // The pickers (roles that see names only). The people list is opened only when the
  // person field is used or already set: each opening of names is audited.
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [people, setPeople] = useState<Person[] | null>(null);
  const [personText, setPersonText] = useState('');
  const [pickerNote, setPickerNote] = useState<string | null>(null);
  const peopleRequested = useRef(false);
  // Captures ticked to open one incident from (kept while the filters change).
  const [chosen, setChosen] = useState<number[]>([]);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }

  async function load(filter: FilterForm, before?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await api.captures(before, 50, apiFilter(filter));
      setCaptures((earlier) => (before && earlier ? [...earlier, ...page.captures] : page.captures));
      setCategories(page.categories);
      setNext(page.next);
    } catch (failure) {
      failed(failure);
    } finally {
      setLoading(false);
    }
  }

  function loadPeople() {
    if (!seesPeople || peopleRequested.current) return;
    peopleRequested.current = true;
    peopleApi.people().then(
      (answer) => {
        setPeople(answer.people.filter((person) => person.name));
        if (answer.unreadable > 0) setPickerNote(`${answer.unreadable} people's records could not be opened and are not in the list.`);
      },
      (failure) => {
        peopleRequested.current = false;
        if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
        else setPickerNote(`The list of people could not be loaded: ${(failure as Error).message}`);
      },
    );
  }

  useEffect(() => {
    void load(applied);
  }, [applied]);

  useEffect(() => {
    if (!seesPeople) return;
    peopleApi.groups().then(
      (answer) => setGroups(answer.groups),
      (failure) => {
        if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
        else setPickerNote(`The list of groups could not be loaded: ${(failure as Error).message}`);
      },
    );
    if (applied.person) loadPeople();
  }, []);

  const labels = people ? personLabels(people) : new Map<number, string>();
  const labelOf = (id: string) => (id ? labels.get(Number(id)) ?? '' : '');

  // When the people arrive, the person already filtered on is shown by name.
  useEffect(() => {
    if (people && form.person && personText === '') setPersonText(labelOf(form.person));
  }, [people]);

  // Back and forward move between filtered views.
  useEffect(() => {
    const update = () => {
      const now = formFromAddress();
      setForm(now);
      setApplied(now);
      setPersonText(labelOf(now.person));
    };
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, [people]);

  function apply(next: FilterForm) {
    history.pushState(null, '', addressOf(next));
    setForm(next);
    setApplied(next);
    setPersonText(labelOf(next.person));
  }

  function submit() {
    if (!seesPeople || personText.trim() === '') {
      apply({ ...form, person: seesPeople ? '' : form.person });
      return;
    }
    const id = people ? personNamed(personText, people, labels) : undefined;
    if (id === undefined) {
      setError(
        people
          ? `Nobody in the school's list is called "${personText.trim()}". Choose a name from the list, or empty the Person box.`
          : 'The list of people is still loading. Try again in a moment.',
      );
      document.getElementById('filter-person')?.focus();
      return;
    }
    apply({ ...form, person: String(id) });
  }

  function toggle(id: number, on: boolean) {
    setChosen((now) => (on ? (now.includes(id) ? now : [...now, id]) : now.filter((other) => other !== id)));
  }

  const set = (name: keyof FilterForm) => (event: Event) =>
    setForm({ ...form, [name]: (event.target as HTMLInputElement | HTMLSelectElement).value });
  const filtered = Object.values(applied).some((value) => value !== '');
  const groupKinds = Object.keys(kindNames) as Group['kind'][];

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
          submit();
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
          {seesPeople && (
            <div class="field">
              <label for="filter-group">Group</label>
              <select id="filter-group" value={form.group} onChange={set('group')}>
                <option value="">Any</option>
                {groups === null && form.group && <option value={form.group}>Group {form.group}</option>}
                {groups !== null &&
                  groupKinds
                    .filter((kind) => groups.some((group) => group.kind === kind))
                    .map((kind) => (
                      <optgroup key={kind} label={kindNames[kind]}>
                        {groups
                          .filter((group) => group.kind === kind)
                          .sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { numeric: true }))
                          .map((group) => (
                            <option key={group.id} value={String(group.id)}>
                              {group.name}
                            </option>
                          ))}
                      </optgroup>
                    ))}
              </select>
            </div>
          )}
          {seesPeople && (
            <div class="field">
              <label for="filter-person">Person</label>
              <input
                id="filter-person"
                type="text"
                list="filter-person-choices"
                value={personText}
                onFocus={loadPeople}
                onInput={(event) => setPersonText((event.target as HTMLInputElement).value)}
                placeholder="Type a name"
                autocomplete="off"
                spellcheck={false}
              />
              <datalist id="filter-person-choices">
                {[...labels.values()]
                  .sort((a, b) => a.localeCompare(b, 'en-GB'))
                  .map((label) => (
                    <option key={label} value={label} />
                  ))}
              </datalist>
            </div>
          )}
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
        {pickerNote && <p class="quiet filter-scope">{pickerNote}</p>}
        {!seesPeople && (form.person || form.group) && (
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
      {handlesIncidents && (chosen.length > 0 || (captures !== null && captures.length > 0)) && (
        <div class="card choose-bar" role="region" aria-label="Open an incident from several captures">
          <p role="status">
            {chosen.length === 0
              ? 'Several captures about the same concern? Tick them to open one incident from them.'
              : `${chosen.length} ${chosen.length === 1 ? 'capture' : 'captures'} ticked.`}
          </p>
          {chosen.length > 0 && (
            <div class="choose-actions">
              <PageLink class="button" href={`/incidents/new?captures=${chosen.join(',')}`}>
                {chosen.length === 1 ? 'Open an incident from it' : `Open an incident from these ${chosen.length}`}
              </PageLink>
              <button type="button" class="button button-quiet" onClick={() => setChosen([])}>
                Untick all
              </button>
            </div>
          )}
        </div>
      )}
      {captures !== null && captures.length > 0 && (
        <>
          <CaptureTable captures={captures} choice={handlesIncidents ? { chosen, onToggle: toggle } : undefined} />
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
