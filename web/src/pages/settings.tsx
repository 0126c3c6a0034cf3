import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { Field, ErrorSummary, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { SchoolField } from '../components/school_form';
import './settings.css';

// GET/PUT /api/settings/retention (web/openapi.json).
interface RetentionCategory {
  id: string;
  title: string;
  days: number;
  default_days: number;
}
interface RetentionSettings {
  categories: RetentionCategory[];
  min_days: number;
  max_days: number;
  can_edit: boolean;
}

const settingsApi = {
  retention: () => request<RetentionSettings>('GET', '/api/settings/retention'),
  setRetention: (category: string, days: number) =>
    request<RetentionCategory>('PUT', '/api/settings/retention', { category, days }),
};

// Why each recommended period is what it is (README.md "Retention"), by its length.
const reasons: { days: number; heading: string; why: string }[] = [
  {
    days: 365,
    heading: 'Serious risks to a child',
    why: 'Recommended: a year. Referrals to the police, the LADO or Prevent can take months, and a pattern may only show across a school year.',
  },
  {
    days: 120,
    heading: "Harm between pupils, and pupils' wellbeing",
    why: 'Recommended: 120 days, long enough to see a pattern over a term and its holiday.',
  },
  {
    days: 30,
    heading: 'Frequent, mostly lower-risk concerns',
    why: 'Recommended: 30 days, four weekly reviews.',
  },
];

function reasonFor(defaultDays: number) {
  return (
    reasons.find((reason) => reason.days === defaultDays) ?? {
      days: defaultDays,
      heading: 'Other concerns',
      why: `Recommended: ${defaultDays} days.`,
    }
  );
}

export function SettingsPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  return (
    <section aria-labelledby="settings-heading" class="settings">
      <PageHeading id="settings-heading" title="Settings" summary="How the box looks after what it records." />
      <section class="card settings-card" aria-labelledby="school-heading">
        <h2 id="school-heading">The school</h2>
        <SchoolField which="school_name" onSessionEnded={onSessionEnded} />
        <SchoolField which="dsl_email" onSessionEnded={onSessionEnded} />
        <p class="quiet">
          The mail server the box sends email through is on the <a href="/system">System</a> page.
        </p>
      </section>
      <Retention onSessionEnded={onSessionEnded} />
    </section>
  );
}

// How long captures are kept: one number of days per category, grouped by why the
// recommended period is what it is. Only changed categories are saved. Also a step of
// the setup wizard (pages/setup.tsx).
export function Retention({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [settings, setSettings] = useState<RetentionSettings | null>(null);
  const [days, setDays] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }

  async function load() {
    try {
      const loaded = await settingsApi.retention();
      setSettings(loaded);
      setDays(Object.fromEntries(loaded.categories.map((category) => [category.id, String(category.days)])));
    } catch (failure) {
      failed(failure);
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    if (!settings) return;
    setError(null);
    setSaved(null);
    const changed = settings.categories.filter((category) => days[category.id] !== String(category.days));
    for (const category of changed) {
      const value = Number(days[category.id]);
      if (!Number.isInteger(value) || value < settings.min_days || value > settings.max_days) {
        setError(`${category.title}: keep captures for ${settings.min_days} to ${settings.max_days} days.`);
        document.getElementById(`retention-${category.id}`)?.focus();
        return;
      }
    }
    if (changed.length === 0) {
      setSaved('Nothing was changed.');
      return;
    }
    setBusy(true);
    try {
      for (const category of changed) await settingsApi.setRetention(category.id, Number(days[category.id]));
      setSaved(`Saved. ${changed.map((category) => `${category.title}: ${days[category.id]} days`).join('; ')}.`);
      await load();
    } catch (failure) {
      failed(failure);
      await load();
    } finally {
      setBusy(false);
    }
  }

  const groups = new Map<number, RetentionCategory[]>();
  for (const category of settings?.categories ?? []) {
    groups.set(category.default_days, [...(groups.get(category.default_days) ?? []), category]);
  }

  return (
    <form class="card settings-card" onSubmit={(event) => void save(event)} aria-labelledby="retention-heading">
      <h2 id="retention-heading">How long captures are kept</h2>
      <p class="quiet">
        After this many days the box deletes a capture for good, unless it belongs to an open incident. Move anything
        you need to keep into the school's safeguarding record first.
      </p>
      <ErrorSummary message={error} />
      <SuccessNote message={saved} />
      {settings === null && !error && (
        <p class="quiet" role="status">
          Loading…
        </p>
      )}
      {[...groups.entries()]
        .sort(([a], [b]) => b - a)
        .map(([defaultDays, categories]) => {
          const reason = reasonFor(defaultDays);
          return (
            <fieldset class="retention-group" key={defaultDays}>
              <legend>{reason.heading}</legend>
              <p class="hint">{reason.why}</p>
              <div class="retention-fields">
                {categories.map((category) => (
                  <Field
                    key={category.id}
                    id={`retention-${category.id}`}
                    label={`${category.title} (days)`}
                    value={days[category.id] ?? ''}
                    onInput={(value) => setDays({ ...days, [category.id]: value })}
                    extra={{
                      inputMode: 'numeric',
                      disabled: !settings?.can_edit,
                      size: 5,
                    }}
                  />
                ))}
              </div>
            </fieldset>
          );
        })}
      {settings?.can_edit ? (
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
      ) : (
        settings && <p class="quiet">Only the headteacher can change these.</p>
      )}
    </form>
  );
}
