import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorSummary, Field } from '../components/field';
import { MailSettingsForm } from '../components/mail_settings_form';
import { MirrorCheck } from '../components/mirror_check';
import { SchoolField } from '../components/school_form';
import { systemApi, type Wizard, type WizardStep } from '../components/system_api';
import { navigate } from '../navigation';
import { Retention } from './settings';
import '../components/wizard.css';

const minimumPasswordLength = 10;

// First run: whoever has the setup code from the box becomes its headteacher account.
export function SetupPage({ onSignIn }: { onSignIn: () => void }) {
  const [setupCode, setSetupCode] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ username: string; recoveryKey: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [done]);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setInvalidField(null);
    if (password.length < minimumPasswordLength) {
      setInvalidField('password');
      setError(`The password is too short: use at least ${minimumPasswordLength} characters.`);
      return;
    }
    if (password !== confirm) {
      setInvalidField('confirm');
      setError('The two passwords are not the same. Type the password again in both boxes.');
      return;
    }
    setBusy(true);
    try {
      const { user, recovery_key } = await api.setup({
        setup_code: setupCode,
        display_name: displayName,
        username,
        password,
        wizard: true, // carry on with the wizard's other steps after signing in
      });
      setDone({ username: user.username, recoveryKey: recovery_key });
    } catch (failure) {
      const apiError = failure as ApiError;
      setInvalidField(apiError.code === 'wrong_setup_code' ? 'setup-code' : null);
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return <SetupDone username={done.username} recoveryKey={done.recoveryKey} onSignIn={onSignIn} />;
  }

  return (
    <section class="card narrow" aria-labelledby="setup-heading">
      <h1 id="setup-heading" ref={heading} tabIndex={-1}>
        Set up hallmonitor
      </h1>
      <p class="lead">
        Welcome. This takes a minute: type the setup code from the box, then choose the name and password you will
        sign in with. You will be the box's headteacher account.
      </p>
      <ErrorSummary message={error} />
      <form onSubmit={submit} noValidate>
        <Field
          id="setup-code"
          label="Setup code"
          hint="Printed on the label underneath the box, like KX7M-RT4C-PWN3. Capital letters or small, either is fine."
          value={setupCode}
          onInput={setSetupCode}
          autocomplete="off"
          invalid={invalidField === 'setup-code'}
          extra={{ spellcheck: false, autocapitalize: 'characters', class: 'code-input' }}
        />
        <Field
          id="display-name"
          label="Your name"
          hint="As colleagues know you, for example Anita Patel."
          value={displayName}
          onInput={setDisplayName}
          autocomplete="name"
        />
        <Field
          id="username"
          label="User name"
          hint="What you will type to sign in: letters, numbers, dots or dashes, no spaces. For example a.patel."
          value={username}
          onInput={setUsername}
          autocomplete="username"
          extra={{ spellcheck: false, autocapitalize: 'none' }}
        />
        <Field
          id="password"
          label="Password"
          hint={`At least ${minimumPasswordLength} characters. A short sentence you will remember works well.`}
          type="password"
          value={password}
          onInput={setPassword}
          autocomplete="new-password"
          invalid={invalidField === 'password'}
        />
        <Field
          id="confirm"
          label="Type the password again"
          type="password"
          value={confirm}
          onInput={setConfirm}
          autocomplete="new-password"
          invalid={invalidField === 'confirm'}
        />
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Setting up…' : 'Create my account'}
        </button>
      </form>
    </section>
  );
}

// After setup: the recovery key, shown this once. The box keeps no copy (it only wraps
// the evidence key under it), so the headteacher must confirm it is kept before going on.
function SetupDone({ username, recoveryKey, onSignIn }: { username: string; recoveryKey: string; onSignIn: () => void }) {
  const [kept, setKept] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const checkbox = useRef<HTMLInputElement>(null);

  useEffect(() => heading.current?.focus(), []);

  function carryOn() {
    if (!kept) {
      setError('Tick the box to say you have printed or written down the recovery key. You will not see it again.');
      checkbox.current?.focus();
      return;
    }
    onSignIn();
  }

  return (
    <section class="card narrow" aria-labelledby="setup-done-heading">
      <h1 id="setup-done-heading" ref={heading} tabIndex={-1}>
        Your account is ready
      </h1>
      <p class="no-print">
        The box is set up and you are its headteacher account, <strong>{username}</strong>. The setup code no longer
        works, so nobody else can use it.
      </p>
      <div class="recovery" role="group" aria-labelledby="recovery-heading">
        <h2 id="recovery-heading">Your recovery key</h2>
        <p>
          If every password is ever forgotten, this key is the only way to open what the box has recorded. It is shown{' '}
          <strong>only this once</strong>: the box does not keep a copy, and nobody, including the supplier, can show it
          again.
        </p>
        <p class="recovery-key">
          <code>{recoveryKey}</code>
        </p>
        <p>Print it or write it down, and keep it somewhere safe away from the box, such as the school safe.</p>
      </div>
      <p class="no-print">
        <button type="button" class="button button-quiet" onClick={() => window.print()}>
          Print the recovery key
        </button>
      </p>
      <ErrorSummary message={error} />
      <div class="check-field no-print">
        <input
          id="key-kept"
          type="checkbox"
          ref={checkbox}
          checked={kept}
          aria-invalid={error && !kept ? 'true' : undefined}
          onChange={(event) => {
            setKept((event.target as HTMLInputElement).checked);
            setError(null);
          }}
        />
        <label for="key-kept">I have printed or written down the recovery key</label>
      </div>
      <div class="no-print">
        <h2>What happens next</h2>
        <ol class="steps">
          <li>Sign in with your user name and password.</li>
          <li>
            A few more questions follow: the school's name, how long captures are kept, the safeguarding lead's email,
            the school's mail server, and a check that the box is plugged in. Each can be skipped and done later.
          </li>
          <li>
            The box is already watching the school network. Anything that matches its safeguarding list appears on the{' '}
            <strong>Captures</strong> page, newest first, within a second or two.
          </li>
          <li>Keep your password somewhere safe. Nobody, including the supplier, can read it back.</li>
        </ol>
        <button type="button" class="button" onClick={carryOn}>
          Sign in
        </button>
      </div>
    </section>
  );
}

// --- The rest of the wizard, signed in ------------------------------------------
//
// After the account and the recovery key: the school's name, how long captures are
// kept, the DSL's email, the mail server, and the mirror-port check. Each step saves
// through the same forms as the Settings and System pages; the box records which are
// done or skipped, so the wizard carries on where it was left (app.tsx brings the
// headteacher back here after signing in until it is finished).

const stepIntro: Record<WizardStep['id'], { heading: string; intro: string }> = {
  school: {
    heading: "What is the school called?",
    intro: "The box puts the school's name on the emails it sends, its reports and the notices for classrooms.",
  },
  retention: {
    heading: 'How long should captures be kept?',
    intro:
      'The recommended periods are already filled in. They follow the safeguarding guidance: keep what you need, no longer. You can change them now or later on the Settings page.',
  },
  dsl: {
    heading: "Who is the designated safeguarding lead?",
    intro: 'The box emails serious concerns to the safeguarding lead straight away, and sends the weekly report.',
  },
  mail: {
    heading: 'How does the box send email?',
    intro:
      "The box sends its alerts and reports through the school's own mail server. Whoever looks after the school's email can give you these details.",
  },
  mirror: {
    heading: 'Is the box plugged in the right way?',
    intro: 'The box watches a copy of the school’s internet traffic from the switch’s mirror port. This checks that it arrives.',
  },
};

export function SetupWizardPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [wizard, setWizard] = useState<Wizard | null>(null);
  const [current, setCurrent] = useState<WizardStep['id'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }

  useEffect(() => {
    systemApi
      .wizard()
      .then((loaded) => {
        setWizard(loaded);
        setCurrent(loaded.next ?? 'school');
      })
      .catch(failed);
  }, []);

  useEffect(() => heading.current?.focus(), [current]);

  if (!wizard || !current) {
    return (
      <section class="card narrow" aria-label="Setting up">
        <ErrorSummary message={error} />
        {!error && (
          <p class="quiet" role="status">
            Loading…
          </p>
        )}
      </section>
    );
  }

  const index = wizard.steps.findIndex((step) => step.id === current);
  const last = index === wizard.steps.length - 1;

  async function leave(state: WizardStep['state']) {
    setError(null);
    try {
      let updated = await systemApi.markStep(current!, state);
      if (last) {
        updated = await systemApi.finishWizard();
        setWizard(updated);
        navigate('/');
        return;
      }
      setWizard(updated);
      setCurrent(wizard!.steps[index + 1].id);
    } catch (failure) {
      failed(failure);
    }
  }

  const intro = stepIntro[current];
  return (
    <section class="card wizard" aria-labelledby="wizard-heading">
      <p class="quiet">
        Setting up the box: step {index + 1} of {wizard.steps.length}
      </p>
      <ol class="wizard-progress" aria-label="Setup steps">
        {wizard.steps.map((step) => (
          <li key={step.id} aria-current={step.id === current ? 'step' : undefined}>
            {step.title}
            {step.state === 'done' ? ' (done)' : step.state === 'skipped' ? ' (skipped)' : ''}
          </li>
        ))}
      </ol>
      <h1 id="wizard-heading" ref={heading} tabIndex={-1}>
        {intro.heading}
      </h1>
      <p class="lead">{intro.intro}</p>
      <ErrorSummary message={error} />
      {current === 'school' && (
        <SchoolField which="school_name" onSessionEnded={onSessionEnded} saveLabel="Save and continue" onSaved={() => void leave('done')} />
      )}
      {current === 'retention' && <Retention onSessionEnded={onSessionEnded} />}
      {current === 'dsl' && (
        <SchoolField which="dsl_email" onSessionEnded={onSessionEnded} saveLabel="Save and continue" onSaved={() => void leave('done')} />
      )}
      {current === 'mail' && <MailSettingsForm onSessionEnded={onSessionEnded} />}
      {current === 'mirror' && <MirrorCheck onSessionEnded={onSessionEnded} />}
      <div class="wizard-actions">
        {index > 0 && (
          <button type="button" class="button button-quiet" onClick={() => setCurrent(wizard.steps[index - 1].id)}>
            Back
          </button>
        )}
        {(current === 'retention' || current === 'mail' || current === 'mirror') && (
          <button type="button" class="button" onClick={() => void leave('done')}>
            {last ? 'Finish setup' : 'Continue'}
          </button>
        )}
        <button type="button" class="button button-quiet" onClick={() => void leave('skipped')}>
          {last ? 'Skip this and finish' : 'Skip this step'}
        </button>
        <a
          href="/"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          Do the rest later
        </a>
      </div>
    </section>
  );
}
