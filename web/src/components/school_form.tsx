import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorSummary, Field, SuccessNote } from './field';
import { systemApi, type SchoolSettings } from './system_api';

// One of the school's settings (its name, or the DSL's email address) with its own
// Save button: in the setup wizard, one per step, and both on the Settings page.
export function SchoolField({
  which,
  onSessionEnded,
  onSaved,
  saveLabel = 'Save',
}: {
  which: 'school_name' | 'dsl_email';
  onSessionEnded: () => void;
  onSaved?: (settings: SchoolSettings) => void;
  saveLabel?: string;
}) {
  const [settings, setSettings] = useState<SchoolSettings | null>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = which === 'school_name' ? 'school-name' : 'dsl-email';

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }

  useEffect(() => {
    systemApi
      .school()
      .then((loaded) => {
        setSettings(loaded);
        setValue(loaded[which] ?? '');
      })
      .catch(failed);
  }, [which]);

  async function save(event: Event) {
    event.preventDefault();
    setError(null);
    setSaved(null);
    if (value.trim() === '') {
      setError(which === 'school_name' ? "Type the school's name." : "Type the safeguarding lead's email address.");
      document.getElementById(id)?.focus();
      return;
    }
    setBusy(true);
    try {
      const updated = await systemApi.setSchool({ [which]: value.trim() });
      setSettings(updated);
      setValue(updated[which] ?? '');
      setSaved('Saved.');
      onSaved?.(updated);
    } catch (failure) {
      failed(failure);
      document.getElementById(id)?.focus();
    } finally {
      setBusy(false);
    }
  }

  if (settings && which === 'dsl_email' && settings.dsl_email === undefined) return null;
  const label = which === 'school_name' ? "The school's name" : "The safeguarding lead's (DSL's) email address";
  const hint =
    which === 'school_name'
      ? 'As it should appear on emails, reports and the notices for classrooms, for example St Mary\u2019s C of E Primary School.'
      : 'Serious concerns are emailed here at once. A shared address (such as dsl@yourschool.sch.uk) keeps working when staff change.';
  return (
    <form onSubmit={(event) => void save(event)} noValidate>
      <ErrorSummary message={error} />
      <SuccessNote message={saved} />
      <Field
        id={id}
        label={label}
        hint={hint}
        value={value}
        onInput={setValue}
        autocomplete={which === 'school_name' ? 'organization' : 'email'}
        invalid={error !== null}
        extra={{
          disabled: settings === null || !settings.can_edit, // nothing typed is lost to the load
          ...(which === 'dsl_email' ? { inputMode: 'email', spellcheck: false, autocapitalize: 'none' } : {}),
        }}
      />
      {settings?.can_edit !== false && (
        <button type="submit" class="button" disabled={busy || settings === null}>
          {busy ? 'Saving…' : saveLabel}
        </button>
      )}
    </form>
  );
}
