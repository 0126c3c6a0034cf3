import { useEffect, useState } from 'preact/hooks';
import { ApiError, request, upload } from '../api';
import { ErrorSummary, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { categoryName, severityName } from '../wording';
import './library.css';

// The library API (firmware/src/web/api/library.cpp, web/openapi.json).
export interface LibraryEntry {
  category: string;
  pattern: string;
  kind: string;
  severity: number;
  language: string;
  note: string;
  source: string;
  school: boolean;
}

interface LibraryEvent {
  time: string;
  action: 'import' | 'reject' | 'rollback';
  version: number;
  publisher: string;
  reason: string;
  detail: string;
}

interface LibraryOverview {
  active: {
    source: 'bundle' | 'starter';
    version: number | null;
    library_version: string;
    publisher: string | null;
    created: string | null;
    entries: number;
    categories: { id: string; title: string; entries: number }[];
    problem: string | null;
  };
  history: LibraryEvent[];
  school: { entries: LibraryEntry[]; problem: string | null };
  categories: { id: string; title: string }[];
  can_edit: boolean;
}

interface LibraryTest {
  form: 'text' | 'url' | 'host';
  normalised: string;
  hits: LibraryEntry[];
  suppressed: (LibraryEntry & { exception: LibraryEntry })[];
}

interface NewEntry {
  category: string;
  pattern: string;
  kind: string;
  severity: number;
  language: string;
  note: string;
}

const libraryApi = {
  overview: () => request<LibraryOverview>('GET', '/api/library'),
  add: (entry: NewEntry) => request<{ entry: LibraryEntry }>('POST', '/api/library/school', entry),
  remove: (entry: LibraryEntry) =>
    request<{ removed: LibraryEntry }>('DELETE', '/api/library/school', {
      category: entry.category,
      pattern: entry.pattern,
      kind: entry.kind,
    }),
  test: (text: string, form: string) => request<LibraryTest>('POST', '/api/library/test', { text, form }),
  upload: (file: File) =>
    upload<{ version: number; publisher: string; previous: number }>(
      `/api/library/bundle?${new URLSearchParams({ name: file.name })}`,
      file,
    ),
};

// What each kind of entry is, in the headteacher's words.
const kinds = [
  { id: 'word', label: 'A word', hint: 'One whole word: "kill" finds "kill" but not "skill".' },
  { id: 'phrase', label: 'A phrase', hint: 'Several words in this order, however they are spaced or spelt out.' },
  { id: 'domain', label: 'A web site', hint: 'A site name such as example.com, and every name under it.' },
  {
    id: 'exception',
    label: 'Never flag this (exception)',
    hint: 'Words that are fine: anything flagged inside them is hidden, e.g. "Scunthorpe".',
  },
];

function kindName(kind: string): string {
  const known = kinds.find((item) => item.id === kind);
  if (known) return known.label.replace(' (exception)', '');
  return kind === 'url' ? 'Part of a web site' : kind.charAt(0).toUpperCase() + kind.slice(1);
}

const severities = [
  { level: 5, meaning: 'immediate risk to a child: act now' },
  { level: 4, meaning: 'a serious concern: look today' },
  { level: 3, meaning: 'worth a look: review this week' },
  { level: 2, meaning: 'low on its own: a pattern of them matters' },
  { level: 1, meaning: 'for information: counted in reports' },
];

const languages = [
  { code: 'en', name: 'English' },
  { code: 'cy', name: 'Welsh' },
  { code: 'pl', name: 'Polish' },
  { code: 'ur', name: 'Urdu' },
  { code: 'ro', name: 'Romanian' },
];

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

function longDate(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

// The library the box matches with, the school's own words, and "Test a phrase".
export function LibraryPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [overview, setOverview] = useState<LibraryOverview | null>(null);
  const [error, setError] = useState<string | null>(null);

  function failed(failure: unknown, show: (message: string) => void) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else show((failure as Error).message);
  }

  async function load() {
    try {
      setOverview(await libraryApi.overview());
      setError(null);
    } catch (failure) {
      failed(failure, setError);
    }
  }

  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="library-heading" class="library">
      <PageHeading
        id="library-heading"
        title="Library"
        summary="The words, phrases and web sites the box looks for, and the school's own additions."
      />
      <ErrorSummary message={error} />
      {overview === null && !error && (
        <p class="quiet" role="status">
          Loading the library…
        </p>
      )}
      {overview && (
        <>
          <ActiveLibrary overview={overview} />
          {overview.can_edit && <UploadBundle onInstalled={load} failed={failed} />}
          <SchoolWords overview={overview} onChanged={load} failed={failed} />
          {overview.can_edit && <AddWord overview={overview} onAdded={load} failed={failed} />}
          <TestPhrase failed={failed} />
        </>
      )}
    </section>
  );
}

function ActiveLibrary({ overview }: { overview: LibraryOverview }) {
  const { active, history } = overview;
  const installed = history.find(
    (event) => (event.action === 'import' || event.action === 'rollback') && event.version === active.version,
  );
  return (
    <div class="card library-card">
      <h2>The library in use</h2>
      {active.problem && (
        <div class="alert alert-error" role="alert">
          The installed library update cannot be used, so the starter library is used instead: {active.problem}
        </div>
      )}
      {active.source === 'bundle' ? (
        <p>
          Edition <strong>{active.version}</strong>
          {active.publisher && (
            <>
              {' '}
              from <strong>{active.publisher}</strong>
            </>
          )}
          {active.created && <>, made on {longDate(active.created)}</>}
          {installed && <>, installed on {longDate(installed.time)}</>}. It has{' '}
          <strong>{active.entries}</strong> entries in {active.categories.length} categories.
        </p>
      ) : (
        <p>
          The <strong>starter library</strong> that came with the box, with <strong>{active.entries}</strong> entries in{' '}
          {active.categories.length} categories. No library update has been installed yet.
        </p>
      )}
      <details>
        <summary>Entries in each category</summary>
        <ul class="category-counts">
          {active.categories.map((category) => (
            <li key={category.id}>
              {category.title}: {category.entries}
            </li>
          ))}
        </ul>
      </details>
      {history.length > 0 && (
        <details>
          <summary>Library updates</summary>
          <ul class="library-history">
            {history.slice(0, 10).map((event, index) => (
              <li key={index}>
                <time dateTime={event.time}>{longDate(event.time)}</time>: {eventText(event)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

// The same update a USB stick brings, from a file the publisher sent by email or
// download: checked, installed and used within seconds, or refused with the reason.
function UploadBundle({ onInstalled, failed }: { onInstalled: () => Promise<void>; failed: EditProps['failed'] }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (!file) {
      setError('Choose the library update file first (its name ends in .hmlib).');
      return;
    }
    setBusy(true);
    try {
      const installed = await libraryApi.upload(file);
      setDone(
        `Edition ${installed.version} from ${installed.publisher} is installed and in use.` +
          (installed.previous ? ` Edition ${installed.previous} is kept in case you need to go back.` : ''),
      );
      await onInstalled();
    } catch (failure) {
      failed(failure, setError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card library-card" onSubmit={(event) => void submit(event)} aria-labelledby="upload-heading">
      <h2 id="upload-heading">Install a library update</h2>
      <p class="quiet">
        Updates come from the library's publisher as a file ending in .hmlib, on a USB stick or by download. The box
        checks the publisher's signature before it uses one.
      </p>
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      <div class="field">
        <label for="bundle-file">Library update file</label>
        <input
          id="bundle-file"
          type="file"
          accept=".hmlib"
          onChange={(event) => setFile((event.target as HTMLInputElement).files?.[0] ?? null)}
        />
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Installing…' : 'Install update'}
      </button>
    </form>
  );
}

function eventText(event: LibraryEvent): string {
  switch (event.action) {
    case 'import':
      return `edition ${event.version} from ${event.publisher} installed`;
    case 'rollback':
      return `went back to edition ${event.version}`;
    case 'reject':
      return `an update was refused (${event.reason}): ${event.detail}`;
  }
}

interface EditProps {
  overview: LibraryOverview;
  failed: (failure: unknown, show: (message: string) => void) => void;
}

function SchoolWords({ overview, onChanged, failed }: EditProps & { onChanged: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const { entries, problem } = overview.school;

  async function remove(entry: LibraryEntry) {
    setBusy(true);
    setError(null);
    try {
      await libraryApi.remove(entry);
      setStatus(`Removed "${entry.pattern}".`);
      await onChanged();
    } catch (failure) {
      failed(failure, setError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card library-card">
      <h2 id="school-words-heading">The school's own words</h2>
      <p class="quiet">
        Added here by the school, on top of the library. The box starts using a change within a few seconds.
      </p>
      {problem && (
        <div class="alert alert-error" role="alert">
          The school's own words cannot be read: {problem}
        </div>
      )}
      <ErrorSummary message={error} />
      <p class="visually-hidden" role="status">
        {status}
      </p>
      {entries.length === 0 ? (
        <p>The school has not added any words yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="captures school-words" aria-labelledby="school-words-heading">
            <thead>
              <tr>
                <th scope="col">Word, phrase or site</th>
                <th scope="col">What it is</th>
                <th scope="col">Category</th>
                <th scope="col">Severity</th>
                <th scope="col">Language</th>
                <th scope="col">Note</th>
                {overview.can_edit && (
                  <th scope="col">
                    <span class="visually-hidden">Remove</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.source}>
                  <td data-label="Word">
                    <span class="phrase">{entry.pattern}</span>
                  </td>
                  <td data-label="What it is">{kindName(entry.kind)}</td>
                  <td data-label="Category">{categoryName(entry.category)}</td>
                  <td data-label="Severity">
                    {entry.kind === 'exception' ? (
                      '—'
                    ) : (
                      <span class={`severity severity-${entry.severity}`}>
                        <span class="severity-level" aria-hidden="true">
                          {entry.severity}
                        </span>
                        {severityName(entry.severity)}
                      </span>
                    )}
                  </td>
                  <td data-label="Language">{languages.find((item) => item.code === entry.language)?.name ?? entry.language}</td>
                  <td data-label="Note">{entry.note || '—'}</td>
                  {overview.can_edit && (
                    <td>
                      <button
                        type="button"
                        class="button button-quiet"
                        disabled={busy}
                        aria-label={`Remove "${entry.pattern}"`}
                        onClick={() => void remove(entry)}
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!overview.can_edit && <p class="quiet">Only the headteacher or the safeguarding lead can change these.</p>}
    </div>
  );
}

function AddWord({ overview, onAdded, failed }: EditProps & { onAdded: () => Promise<void> }) {
  const blank: NewEntry = { category: '', pattern: '', kind: 'word', severity: 3, language: 'en', note: '' };
  const [form, setForm] = useState<NewEntry>(blank);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const isException = form.kind === 'exception';

  function set<K extends keyof NewEntry>(key: K, value: NewEntry[K]) {
    setForm((current) => ({ ...current, [key]: value }));
  }

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setStatus('');
    if (!form.pattern.trim()) {
      setError('Write the word, phrase or web site to look for.');
      return;
    }
    if (!form.category) {
      setError('Choose a category.');
      return;
    }
    setBusy(true);
    try {
      const { entry } = await libraryApi.add({ ...form, severity: isException ? 1 : form.severity });
      setStatus(`Added "${entry.pattern}" to the school's own words.`);
      setForm({ ...blank, category: form.category, kind: form.kind });
      await onAdded();
    } catch (failure) {
      failed(failure, setError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card library-card" onSubmit={(event) => void submit(event)} aria-labelledby="add-word-heading">
      <h2 id="add-word-heading">Add a word</h2>
      <ErrorSummary message={error} />
      <p class="added" role="status">
        {status}
      </p>
      <div class="field">
        <label for="entry-pattern">Word, phrase or web site</label>
        <p id="entry-pattern-hint" class="hint">
          Capital letters, accents and spellings like "k1ll" make no difference.
        </p>
        <input
          id="entry-pattern"
          value={form.pattern}
          aria-describedby="entry-pattern-hint"
          autocomplete="off"
          maxLength={200}
          onInput={(event) => set('pattern', (event.target as HTMLInputElement).value)}
        />
      </div>
      <fieldset class="field kinds">
        <legend>What is it?</legend>
        {kinds.map((kind) => (
          <div class="choice" key={kind.id}>
            <input
              type="radio"
              id={`entry-kind-${kind.id}`}
              name="entry-kind"
              value={kind.id}
              checked={form.kind === kind.id}
              aria-describedby={`entry-kind-${kind.id}-hint`}
              onChange={() => set('kind', kind.id)}
            />
            <label for={`entry-kind-${kind.id}`}>{kind.label}</label>
            <p id={`entry-kind-${kind.id}-hint`} class="hint">
              {kind.hint}
            </p>
          </div>
        ))}
      </fieldset>
      <div class="field-row">
        <div class="field">
          <label for="entry-category">Category</label>
          <select
            id="entry-category"
            value={form.category}
            onChange={(event) => set('category', (event.target as HTMLSelectElement).value)}
          >
            <option value="">Choose a category…</option>
            {overview.categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.title}
              </option>
            ))}
          </select>
        </div>
        {!isException && (
          <div class="field">
            <label for="entry-severity">Severity</label>
            <p id="entry-severity-hint" class="hint">
              How urgent it is when someone types or visits it.
            </p>
            <select
              id="entry-severity"
              aria-describedby="entry-severity-hint"
              value={String(form.severity)}
              onChange={(event) => set('severity', Number((event.target as HTMLSelectElement).value))}
            >
              {severities.map((item) => (
                <option key={item.level} value={String(item.level)}>
                  {item.level} {severityName(item.level)}: {item.meaning}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="entry-language">Language</label>
          <select
            id="entry-language"
            value={form.language}
            onChange={(event) => set('language', (event.target as HTMLSelectElement).value)}
          >
            {languages.map((language) => (
              <option key={language.code} value={language.code}>
                {language.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <label for="entry-note">Note (optional)</label>
        <p id="entry-note-hint" class="hint">
          Why it is here, for whoever reviews a capture: "name of a group in year 9".
        </p>
        <input
          id="entry-note"
          value={form.note}
          aria-describedby="entry-note-hint"
          autocomplete="off"
          maxLength={300}
          onInput={(event) => set('note', (event.target as HTMLInputElement).value)}
        />
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Adding…' : "Add to the school's words"}
      </button>
    </form>
  );
}

const testForms = [
  { id: 'auto', label: 'Decide for me' },
  { id: 'text', label: 'Words someone typed' },
  { id: 'url', label: 'A web address' },
  { id: 'host', label: 'A web site name' },
];

function TestPhrase({ failed }: { failed: EditProps['failed'] }) {
  const [text, setText] = useState('');
  const [form, setForm] = useState('auto');
  const [result, setResult] = useState<LibraryTest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    if (!text.trim()) {
      setError('Type something to test.');
      return;
    }
    setResult(null);
    setBusy(true);
    try {
      setResult(await libraryApi.test(text, form));
    } catch (failure) {
      failed(failure, setError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card library-card" onSubmit={(event) => void submit(event)} aria-labelledby="test-heading">
      <h2 id="test-heading">Test a phrase</h2>
      <p class="quiet">See what the box would flag in a search, a message or a web address. Nothing is recorded.</p>
      <ErrorSummary message={error} />
      <div class="field">
        <label for="test-text">Text to test</label>
        <textarea
          id="test-text"
          rows={2}
          value={text}
          maxLength={4096}
          onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
        />
      </div>
      <div class="field">
        <label for="test-form">Read it as</label>
        <select id="test-form" value={form} onChange={(event) => setForm((event.target as HTMLSelectElement).value)}>
          {testForms.map((item) => (
            <option key={item.id} value={item.id}>
              {item.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Testing…' : 'Test'}
      </button>
      <div class="test-result" aria-live="polite">
        {result && <TestResult result={result} />}
      </div>
    </form>
  );
}

function EntryLine({ entry }: { entry: LibraryEntry }) {
  return (
    <>
      <span class="phrase">"{entry.pattern}"</span> ({kindName(entry.kind).toLowerCase()}, {categoryName(entry.category)}
      {entry.kind !== 'exception' && <>, severity {entry.severity} {severityName(entry.severity)}</>},{' '}
      {entry.school ? "the school's own words" : 'the library'})
    </>
  );
}

function TestResult({ result }: { result: LibraryTest }) {
  return (
    <>
      <h3>Result</h3>
      <p>
        The box reads this as: <code class="normalised">{result.normalised}</code>
      </p>
      {result.hits.length === 0 ? (
        <p class="test-none">Nothing would be flagged.</p>
      ) : (
        <>
          <p>It would be flagged for:</p>
          <ul class="test-hits">
            {result.hits.map((hit) => (
              <li key={hit.source}>
                <EntryLine entry={hit} />
              </li>
            ))}
          </ul>
        </>
      )}
      {result.suppressed.length > 0 && (
        <>
          <p>Hidden by an exception:</p>
          <ul class="test-suppressed">
            {result.suppressed.map((item) => (
              <li key={`${item.source}-${item.exception.source}`}>
                <EntryLine entry={item} /> is not flagged because of the exception{' '}
                <span class="phrase">"{item.exception.pattern}"</span> (
                {item.exception.school ? "the school's own words" : 'the library'})
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
