import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorSummary, Field, SuccessNote } from './field';
import { systemApi, type MailSecurity, type MailSettings } from './system_api';
import './wizard.css';

const securityChoices: { value: MailSecurity; label: string; hint: string; port: number }[] = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)', hint: 'Most school mail services, including Microsoft 365 and Google.', port: 587 },
  { value: 'tls', label: 'TLS from the start (usually port 465)', hint: 'Sometimes called SSL or SMTPS.', port: 465 },
  { value: 'none', label: 'No encryption (a relay inside the school only)', hint: 'Only for a mail relay on the school network that needs no password.', port: 25 },
];

// The school's mail server and a "Send a test email" button: in the setup wizard and
// on the System page. The password is never shown again once saved; leaving the box
// empty keeps it. `testTo` empty sends the test to the DSL's address (the box fills it
// in, so a technician never sees it).
export function MailSettingsForm({
  onSessionEnded,
  onSaved,
  showTestAddress = true,
}: {
  onSessionEnded: () => void;
  onSaved?: (settings: MailSettings) => void;
  showTestAddress?: boolean;
}) {
  const [loaded, setLoaded] = useState<MailSettings | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState('587');
  const [security, setSecurity] = useState<MailSecurity>('starttls');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fromAddress, setFromAddress] = useState('');
  const [testTo, setTestTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }

  function show(settings: MailSettings) {
    setLoaded(settings);
    setHost(settings.host);
    setPort(String(settings.port));
    setSecurity(settings.security);
    setUsername(settings.username);
    setFromAddress(settings.from_address);
    setPassword('');
  }

  useEffect(() => {
    systemApi
      .mail()
      .then((settings) => {
        show(settings);
        if (settings.problem) setError(settings.problem);
      })
      .catch(failed);
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    setError(null);
    setSaved(null);
    setTestResult(null);
    const portNumber = Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
      setError('The port is a number from 1 to 65535 (usually 587 or 465).');
      document.getElementById('mail-port')?.focus();
      return;
    }
    setBusy('save');
    try {
      const settings = await systemApi.setMail({
        host: host.trim(),
        port: portNumber,
        security,
        username: username.trim(),
        from_address: fromAddress.trim(),
        ...(password !== '' || username.trim() === '' ? { password } : {}),
      });
      show(settings);
      setSaved('The mail settings are saved.');
      onSaved?.(settings);
    } catch (failure) {
      failed(failure);
    } finally {
      setBusy(null);
    }
  }

  async function sendTest() {
    setError(null);
    setSaved(null);
    setTestResult(null);
    setBusy('test');
    try {
      const result = await systemApi.testMail(testTo.trim());
      setTestResult({ ok: true, message: `${result.message} It went to ${result.to}.` });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
      else setTestResult({ ok: false, message: (failure as Error).message });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="mail-settings">
      <ErrorSummary message={error} />
      <SuccessNote message={saved} />
      <form onSubmit={(event) => void save(event)} noValidate>
        {/* Disabled until the saved settings are in, so nothing typed is overwritten. */}
        <fieldset class="plain-fieldset" disabled={loaded === null}>
        <Field
          id="mail-host"
          label="Mail server"
          hint="The outgoing (SMTP) server, for example smtp.office365.com. Whoever looks after the school's email can tell you."
          value={host}
          onInput={setHost}
          extra={{ spellcheck: false, autocapitalize: 'none' }}
        />
        <fieldset class="choice-group">
          <legend>How the connection is protected</legend>
          {securityChoices.map((choice) => (
            <div class="check-field" key={choice.value}>
              <input
                type="radio"
                id={`mail-security-${choice.value}`}
                name="mail-security"
                checked={security === choice.value}
                aria-describedby={`mail-security-${choice.value}-hint`}
                onChange={() => {
                  setSecurity(choice.value);
                  if (['25', '465', '587', ''].includes(port)) setPort(String(choice.port));
                }}
              />
              <label for={`mail-security-${choice.value}`}>
                {choice.label}
                <span id={`mail-security-${choice.value}-hint`} class="hint">
                  {choice.hint}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        <Field id="mail-port" label="Port" value={port} onInput={setPort} extra={{ inputMode: 'numeric', size: 6 }} />
        <Field
          id="mail-username"
          label="User name (leave empty if the server needs none)"
          hint="Usually the full email address of the account the box sends from."
          value={username}
          onInput={setUsername}
          autocomplete="off"
          extra={{ spellcheck: false, autocapitalize: 'none', required: false }}
        />
        <Field
          id="mail-password"
          label="Password"
          hint={
            loaded?.password_saved
              ? 'A password is saved. Leave this empty to keep it, or type a new one.'
              : 'The box keeps it sealed: a copy of its database does not give it away.'
          }
          type="password"
          value={password}
          onInput={setPassword}
          autocomplete="new-password"
          extra={{ required: false }}
        />
        <Field
          id="mail-from"
          label="Send emails from"
          hint="The address the box's emails come from, for example hallmonitor@yourschool.sch.uk."
          value={fromAddress}
          onInput={setFromAddress}
          autocomplete="off"
          extra={{ spellcheck: false, autocapitalize: 'none', inputMode: 'email' }}
        />
        <button type="submit" class="button" disabled={busy !== null}>
          {busy === 'save' ? 'Saving…' : 'Save mail settings'}
        </button>
        </fieldset>
      </form>
      <div class="mail-test" role="group" aria-labelledby="mail-test-heading">
        <h3 id="mail-test-heading">Send a test email</h3>
        <p class="quiet">
          {showTestAddress
            ? 'Check that email really arrives. Leave the address empty to send it to the safeguarding lead.'
            : 'Check that email really arrives: type an address to send it to.'}
        </p>
        <Field
          id="mail-test-to"
          label="Send the test email to"
          value={testTo}
          onInput={setTestTo}
          autocomplete="email"
          extra={{ spellcheck: false, autocapitalize: 'none', inputMode: 'email', required: false }}
        />
        <button
          type="button"
          class="button button-quiet"
          disabled={busy !== null || !loaded?.configured}
          onClick={() => void sendTest()}
        >
          {busy === 'test' ? 'Sending…' : 'Send a test email'}
        </button>
        {!loaded?.configured && <p class="hint">Save the mail settings first.</p>}
        {testResult &&
          (testResult.ok ? (
            <p class="alert alert-success" role="status">
              {testResult.message}
            </p>
          ) : (
            <div class="alert alert-error" role="alert">
              The test email was not sent. {testResult.message}
            </div>
          ))}
      </div>
    </div>
  );
}
