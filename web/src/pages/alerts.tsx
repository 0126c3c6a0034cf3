import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { actIfConfirmed, useAction } from '../components/use_action';
import { severityName } from '../wording';
import {
  alertsApi,
  type AlertRule,
  type AlertRuleFields,
  type AlertRules,
  type AlertSettings,
  type AlertsSummary,
  type Outbox,
  type OutboxMessage,
} from './alerts_api';
import './alerts.css';

const kSummaryRefreshMs = 60_000;

// The masthead's count beside "Alerts" (page_table.tsx): alerts of the last week whose
// capture still waits for review, and whether emails are failing. Refreshed every minute.
export function useAlertsBadge(): { text: string; label: string } | null {
  const [summary, setSummary] = useState<AlertsSummary | null>(null);
  useEffect(() => {
    let stopped = false;
    const refresh = () =>
      alertsApi
        .summary()
        .then((answer) => !stopped && setSummary(answer))
        .catch(() => undefined);
    void refresh();
    const timer = setInterval(() => void refresh(), kSummaryRefreshMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  if (!summary) return null;
  const failing = summary.failed + summary.retrying > 0;
  if (summary.notifications === 0 && !failing) return null;
  const parts = [summary.notifications > 0 ? `${summary.notifications} need review` : '', failing ? 'emails are not being sent' : ''];
  return {
    text: `${summary.notifications > 0 ? summary.notifications : ''}${failing ? '!' : ''}`,
    label: `Alerts, ${parts.filter(Boolean).join(', ')}`,
  };
}

// Who is told about which captures, and when (issue 7): the rules in plain words with
// a form to add or change one, the alerts' settings, and the emails sent and waiting.
// The DSL, deputy and headteacher (see_reports); the box refuses changes to anyone else.
export function AlertsPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [rules, setRules] = useState<AlertRules | null>(null);
  const [outbox, setOutbox] = useState<Outbox | null>(null);
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const list = useAction(onSessionEnded, load);

  async function load() {
    const [loadedRules, loadedOutbox] = await Promise.all([alertsApi.rules(), alertsApi.outbox()]);
    setRules(loadedRules);
    setOutbox(loadedOutbox);
  }

  useEffect(() => {
    load().catch(list.failed);
  }, []);

  return (
    <section class="alerts" aria-labelledby="alerts-heading">
      <PageHeading id="alerts-heading" title="Alerts" summary="Who is told about a concern, how soon, and the emails the box has sent." />
      {outbox && <FailingNotice outbox={outbox} />}
      {!rules && !list.error && (
        <p class="quiet" role="status">
          Loading…
        </p>
      )}
      {rules && (
        <section class="card alerts-card" aria-labelledby="rules-heading">
          <h2 id="rules-heading">Who is told, and when</h2>
          <p class="quiet">
            Each capture is checked against these rules. A rule that emails at once wins over the daily digest. Groups' own
            alert levels (on the People page) are checked first.
          </p>
          <ErrorSummary message={list.error} />
          <SuccessNote message={list.done} />
          {rules.rules.length === 0 ? (
            <p class="empty">No rules: nobody is told about anything. Add a rule below.</p>
          ) : (
            <ul class="rule-list">
              {rules.rules.map((rule) => (
                <li key={rule.id} class={`rule${rule.enabled ? '' : ' rule-off'}`}>
                  <h3>
                    {rule.name}
                    {!rule.enabled && <span class="rule-state"> (turned off)</span>}
                  </h3>
                  <p>{ruleInWords(rule, rules)}</p>
                  {rules.can_edit && (
                    <div class="rule-actions" role="group" aria-label={`Rule “${rule.name}”`}>
                      <button
                        type="button"
                        class="button button-quiet"
                        onClick={() => setEditing(rule)}
                      >
                        Edit<span class="visually-hidden"> “{rule.name}”</span>
                      </button>
                      <button
                        type="button"
                        class="button button-quiet"
                        disabled={list.busy}
                        onClick={() =>
                          void list.act(
                            () => alertsApi.changeRule(rule.id, { enabled: !rule.enabled }),
                            rule.enabled ? `“${rule.name}” is turned off.` : `“${rule.name}” is turned on.`,
                          )
                        }
                      >
                        {rule.enabled ? 'Turn off' : 'Turn on'}
                        <span class="visually-hidden"> “{rule.name}”</span>
                      </button>
                      <button
                        type="button"
                        class="button button-quiet"
                        disabled={list.busy}
                        onClick={() =>
                          void actIfConfirmed(
                            list.act,
                            `Remove the rule “${rule.name}”? Nobody will be told about what it covered unless another rule covers it.`,
                            () => alertsApi.removeRule(rule.id),
                            `“${rule.name}” is removed.`,
                          ).then(() => editing?.id === rule.id && setEditing(null))
                        }
                      >
                        Remove<span class="visually-hidden"> “{rule.name}”</span>
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {rules?.can_edit && (
        <RuleForm
          key={editing?.id ?? 'new'}
          rules={rules}
          editing={editing}
          onSessionEnded={onSessionEnded}
          onSaved={async () => {
            setEditing(null);
            await load();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {rules && <SettingsForm settings={rules.settings} canEdit={rules.can_edit} onSessionEnded={onSessionEnded} reload={load} />}
      {outbox && <OutboxTable outbox={outbox} onSessionEnded={onSessionEnded} reload={load} />}
    </section>
  );
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function recipientsInWords(recipients: string[]): string {
  return listInWords(recipients.map((recipient) => (recipient === 'dsl' ? 'the DSL' : recipient)));
}

// "Severity 4 (High) or above in Suicide and Self-harm: an email at once to the DSL."
export function ruleInWords(rule: AlertRuleFields, context: Pick<AlertRules, 'categories' | 'groups'>): string {
  const severity =
    rule.min_severity >= 5 ? 'Severity 5 (Critical)' : `Severity ${rule.min_severity} (${severityName(rule.min_severity)}) or above`;
  const titles = rule.categories.map((id) => context.categories.find((category) => category.id === id)?.title ?? id);
  let words = `${severity} ${titles.length ? `in ${listInWords(titles)}` : 'in any category'}`;
  if (rule.group_ids.length) {
    const names = rule.group_ids.map((id) => context.groups.find((group) => group.id === id)?.name ?? `group ${id}`);
    words += `, for ${listInWords(names)}`;
  }
  if (rule.repeat_count > 1) {
    words += `, once it happens ${rule.repeat_count} times on one device within ${rule.repeat_window_minutes} minutes`;
  }
  if (rule.active_hours) words += `, between ${rule.active_hours.from} and ${rule.active_hours.to}`;
  if (rule.term_time_only) words += ', in term time only';
  words += rule.delivery === 'immediate' ? ': an email at once to ' : ': in the daily digest to ';
  words += `${recipientsInWords(rule.recipients)}.`;
  if (rule.quiet_hours) {
    words += ` Emails made between ${rule.quiet_hours.from} and ${rule.quiet_hours.to} wait until ${rule.quiet_hours.to}.`;
  }
  return words;
}

// What the form holds: text as typed, turned into a rule when sent.
interface RuleDraft {
  name: string;
  min_severity: string;
  categories: string[];
  group_ids: number[];
  repeat_count: string;
  repeat_window_minutes: string;
  active_from: string;
  active_to: string;
  term_time_only: boolean;
  quiet_from: string;
  quiet_to: string;
  delivery: 'immediate' | 'digest';
  tell_dsl: boolean;
  addresses: string;
}

function draftOf(rule: AlertRule | null): RuleDraft {
  return {
    name: rule?.name ?? '',
    min_severity: String(rule?.min_severity ?? 4),
    categories: rule?.categories ?? [],
    group_ids: rule?.group_ids ?? [],
    repeat_count: String(rule?.repeat_count ?? 1),
    repeat_window_minutes: String(rule && rule.repeat_window_minutes > 0 ? rule.repeat_window_minutes : 60),
    active_from: rule?.active_hours?.from ?? '',
    active_to: rule?.active_hours?.to ?? '',
    term_time_only: rule?.term_time_only ?? false,
    quiet_from: rule?.quiet_hours?.from ?? '',
    quiet_to: rule?.quiet_hours?.to ?? '',
    delivery: rule?.delivery ?? 'immediate',
    tell_dsl: rule ? rule.recipients.includes('dsl') : true,
    addresses: (rule?.recipients ?? []).filter((recipient) => recipient !== 'dsl').join('\n'),
  };
}

// The draft as the box takes it, or the first thing to put right (and its field).
function ruleOf(draft: RuleDraft, enabled: boolean): { rule: AlertRuleFields } | { problem: string; field: string } {
  const count = Number(draft.repeat_count);
  if (!Number.isInteger(count) || count < 1) {
    return { problem: '“How many times” must be a whole number, 1 or more.', field: 'rule-repeat-count' };
  }
  const window = Number(draft.repeat_window_minutes);
  if (count > 1 && (!Number.isInteger(window) || window < 1)) {
    return { problem: '“Within how many minutes” must be a whole number, 1 or more.', field: 'rule-repeat-window' };
  }
  if (!draft.active_from !== !draft.active_to) {
    return {
      problem: 'Give both times of day (from and until), or neither for all day.',
      field: draft.active_from ? 'rule-active-to' : 'rule-active-from',
    };
  }
  if (!draft.quiet_from !== !draft.quiet_to) {
    return {
      problem: 'Give both quiet-hours times (from and until), or neither.',
      field: draft.quiet_from ? 'rule-quiet-to' : 'rule-quiet-from',
    };
  }
  const addresses = draft.addresses
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return {
    rule: {
      name: draft.name.trim(),
      enabled,
      min_severity: Number(draft.min_severity),
      categories: draft.categories,
      group_ids: draft.group_ids,
      repeat_count: count,
      repeat_window_minutes: count > 1 ? window : 0,
      active_hours: draft.active_from ? { from: draft.active_from, to: draft.active_to } : null,
      term_time_only: draft.term_time_only,
      quiet_hours: draft.quiet_from ? { from: draft.quiet_from, to: draft.quiet_to } : null,
      delivery: draft.delivery,
      recipients: [...(draft.tell_dsl ? ['dsl'] : []), ...addresses],
    },
  };
}

function toggled<T>(items: T[], item: T, on: boolean): T[] {
  return on ? [...items.filter((x) => x !== item), item] : items.filter((x) => x !== item);
}

// Add a rule, or change the one being edited.
function RuleForm({
  rules,
  editing,
  onSessionEnded,
  onSaved,
  onCancel,
}: {
  rules: AlertRules;
  editing: AlertRule | null;
  onSessionEnded: () => void;
  onSaved: () => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(editing));
  const { error, setError, done, busy, act } = useAction(onSessionEnded);
  const heading = useRef<HTMLHeadingElement>(null);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((old) => ({ ...old, [key]: value }));

  useEffect(() => {
    if (editing) heading.current?.focus();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const made = ruleOf(draft, editing?.enabled ?? true);
    if ('problem' in made) {
      setError(made.problem);
      document.getElementById(made.field)?.focus();
      return;
    }
    const saved = await act(
      () => (editing ? alertsApi.changeRule(editing.id, made.rule) : alertsApi.addRule(made.rule)),
      editing ? `“${made.rule.name}” is saved.` : `“${made.rule.name}” is added.`,
    );
    if (saved) {
      if (!editing) setDraft(draftOf(null));
      await onSaved();
    }
  }

  const text = (key: keyof RuleDraft) => (event: Event) => set(key, (event.target as HTMLInputElement).value as never);
  return (
    <form class="card alerts-card rule-form" aria-labelledby="rule-form-heading" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="rule-form-heading" ref={heading} tabIndex={-1}>
        {editing ? `Change the rule “${editing.name}”` : 'Add a rule'}
      </h2>
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      <div class="field">
        <label for="rule-name">Name</label>
        <p class="hint" id="rule-name-hint">
          What the rule is for, e.g. “Bullying after school”. It appears in the email.
        </p>
        <input id="rule-name" value={draft.name} maxLength={120} aria-describedby="rule-name-hint" onInput={text('name')} />
      </div>
      <div class="field">
        <label for="rule-severity">Lowest severity</label>
        <select id="rule-severity" value={draft.min_severity} onChange={text('min_severity')}>
          {[1, 2, 3, 4, 5].map((level) => (
            <option key={level} value={String(level)}>
              {level === 5 ? '5 Critical only' : `${level} ${severityName(level)} and above`}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="field">
        <legend>Categories</legend>
        <p class="hint">Tick none for every category.</p>
        <div class="choices">
          {rules.categories.map((category) => (
            <div class="choice" key={category.id}>
              <input
                type="checkbox"
                id={`rule-category-${category.id}`}
                checked={draft.categories.includes(category.id)}
                onChange={(event) => set('categories', toggled(draft.categories, category.id, (event.target as HTMLInputElement).checked))}
              />
              <label for={`rule-category-${category.id}`}>{category.title}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset class="field">
        <legend>Groups</legend>
        {rules.groups.length === 0 ? (
          <p class="hint">No groups yet (they come from the People page). The rule covers everyone.</p>
        ) : (
          <>
            <p class="hint">Tick none for everyone, whether or not they are in a group.</p>
            <div class="choices">
              {rules.groups.map((group) => (
                <div class="choice" key={group.id}>
                  <input
                    type="checkbox"
                    id={`rule-group-${group.id}`}
                    checked={draft.group_ids.includes(group.id)}
                    onChange={(event) => set('group_ids', toggled(draft.group_ids, group.id, (event.target as HTMLInputElement).checked))}
                  />
                  <label for={`rule-group-${group.id}`}>{group.name}</label>
                </div>
              ))}
            </div>
          </>
        )}
      </fieldset>
      <fieldset class="field">
        <legend>Only when it happens more than once</legend>
        <p class="hint">For lower-severity behaviour that matters when it repeats. 1 time: every capture.</p>
        <div class="field-pair">
          <div>
            <label for="rule-repeat-count">How many times on one device</label>
            <input
              id="rule-repeat-count"
              type="number"
              inputMode="numeric"
              min={1}
              max={1000}
              value={draft.repeat_count}
              onInput={text('repeat_count')}
            />
          </div>
          <div>
            <label for="rule-repeat-window">Within how many minutes</label>
            <input
              id="rule-repeat-window"
              type="number"
              inputMode="numeric"
              min={1}
              value={draft.repeat_window_minutes}
              disabled={draft.repeat_count === '1'}
              onInput={text('repeat_window_minutes')}
            />
          </div>
        </div>
      </fieldset>
      <fieldset class="field">
        <legend>Time of day</legend>
        <p class="hint">Leave both empty for all day. From later than until runs past midnight (18:00 until 07:00).</p>
        <div class="field-pair">
          <div>
            <label for="rule-active-from">From</label>
            <input id="rule-active-from" type="time" value={draft.active_from} onInput={text('active_from')} />
          </div>
          <div>
            <label for="rule-active-to">Until</label>
            <input id="rule-active-to" type="time" value={draft.active_to} onInput={text('active_to')} />
          </div>
        </div>
      </fieldset>
      <div class="check-field">
        <input
          type="checkbox"
          id="rule-term-time"
          checked={draft.term_time_only}
          aria-describedby="rule-term-time-hint"
          onChange={(event) => set('term_time_only', (event.target as HTMLInputElement).checked)}
        />
        <div>
          <label for="rule-term-time">Term time only</label>
          <p class="hint" id="rule-term-time-hint">
            The term dates are in the settings below; without them, every weekday counts.
          </p>
        </div>
      </div>
      <fieldset class="field">
        <legend>Quiet hours: hold the emails</legend>
        <p class="hint">Emails this rule makes in these hours wait until they end. Leave both empty to send them straight away.</p>
        <div class="field-pair">
          <div>
            <label for="rule-quiet-from">Hold from</label>
            <input id="rule-quiet-from" type="time" value={draft.quiet_from} onInput={text('quiet_from')} />
          </div>
          <div>
            <label for="rule-quiet-to">Until</label>
            <input id="rule-quiet-to" type="time" value={draft.quiet_to} onInput={text('quiet_to')} />
          </div>
        </div>
      </fieldset>
      <fieldset class="field">
        <legend>How the email goes</legend>
        {(
          [
            ['immediate', 'At once, one email for each concern'],
            ['digest', `In the daily digest, at ${rules.settings.digest_time}`],
          ] as const
        ).map(([value, label]) => (
          <div class="choice" key={value}>
            <input
              type="radio"
              id={`rule-delivery-${value}`}
              name="rule-delivery"
              checked={draft.delivery === value}
              onChange={() => set('delivery', value)}
            />
            <label for={`rule-delivery-${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <fieldset class="field">
        <legend>Who is told</legend>
        <div class="choice">
          <input
            type="checkbox"
            id="rule-tell-dsl"
            checked={draft.tell_dsl}
            onChange={(event) => set('tell_dsl', (event.target as HTMLInputElement).checked)}
          />
          <label for="rule-tell-dsl">The DSL (the address on the Settings page)</label>
        </div>
        <label for="rule-addresses" class="sub-label">
          Other email addresses, one per line
        </label>
        <textarea id="rule-addresses" rows={3} value={draft.addresses} autocomplete="off" spellcheck={false} onInput={text('addresses')} />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {editing ? 'Save the rule' : 'Add the rule'}
        </button>
        {editing && (
          <button type="button" class="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function SettingsForm({
  settings,
  canEdit,
  onSessionEnded,
  reload,
}: {
  settings: AlertSettings;
  canEdit: boolean;
  onSessionEnded: () => void;
  reload: () => Promise<void>;
}) {
  const [window, setWindow] = useState(String(settings.group_window_minutes));
  const [digest, setDigest] = useState(settings.digest_time);
  const [link, setLink] = useState(settings.link_base);
  const [terms, setTerms] = useState(settings.term_dates);
  const { error, setError, done, busy, act } = useAction(onSessionEnded, reload);

  async function submit(event: Event) {
    event.preventDefault();
    const minutes = Number(window);
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
      setError('The grouping window is from 0 to 1440 minutes (a day).');
      document.getElementById('alert-group-window')?.focus();
      return;
    }
    await act(
      () => alertsApi.setSettings({ group_window_minutes: minutes, digest_time: digest, link_base: link.trim(), term_dates: terms }),
      'The alert settings are saved.',
    );
  }

  return (
    <form class="card alerts-card" aria-labelledby="alert-settings-heading" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="alert-settings-heading">Settings</h2>
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      <fieldset class="plain" disabled={!canEdit}>
        <div class="field">
          <label for="alert-group-window">Grouping window (minutes)</label>
          <p class="hint" id="alert-group-window-hint">
            More captures from the same device and category within this time join the first alert instead of sending
            another email. 0: every capture is its own alert.
          </p>
          <input
            id="alert-group-window"
            type="number"
            inputMode="numeric"
            min={0}
            max={1440}
            value={window}
            aria-describedby="alert-group-window-hint"
            onInput={(event) => setWindow((event.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="alert-digest-time">Daily digest time</label>
          <input
            id="alert-digest-time"
            type="time"
            value={digest}
            onInput={(event) => setDigest((event.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="alert-link-base">The box's address, for links in emails</label>
          <p class="hint" id="alert-link-base-hint">
            How staff reach this page from school, e.g. https://hallmonitor.local:8443.
          </p>
          <input
            id="alert-link-base"
            type="url"
            value={link}
            maxLength={200}
            autocomplete="off"
            aria-describedby="alert-link-base-hint"
            onInput={(event) => setLink((event.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="alert-term-dates">Term dates</label>
          <p class="hint" id="alert-term-dates-hint">
            One term per line, first and last day: 2026-09-03..2026-12-18. Empty: every weekday counts as term time.
          </p>
          <textarea
            id="alert-term-dates"
            rows={4}
            value={terms}
            spellcheck={false}
            aria-describedby="alert-term-dates-hint"
            onInput={(event) => setTerms((event.target as HTMLTextAreaElement).value)}
          />
        </div>
        {canEdit && (
          <button type="submit" class="button" disabled={busy}>
            Save the settings
          </button>
        )}
      </fieldset>
    </form>
  );
}

function shortTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

function stateInWords(message: OutboxMessage): string {
  switch (message.state) {
    case 'sent':
      return 'Sent';
    case 'queued':
      return 'About to be sent';
    case 'retrying':
      return `Waiting to retry${message.last_answer ? ` — ${message.last_answer}` : ''}`;
    case 'failed':
      return `Failed — the server said: ${message.last_answer || 'nothing'}`;
  }
}

const kindNames: Record<OutboxMessage['kind'], string> = { alert: 'Alert', digest: 'Daily digest', report: 'Report' };

// "Alerts are not reaching the DSL": said at the top when any email is failing.
function FailingNotice({ outbox }: { outbox: Outbox }) {
  const { failed, retrying } = outbox.counts;
  if (failed === 0 && retrying === 0) return null;
  const latest = outbox.messages.find((message) => message.state === 'failed' || message.state === 'retrying');
  const counts = [failed ? `${failed} failed` : '', retrying ? `${retrying} waiting to retry` : ''].filter(Boolean).join(', ');
  return (
    <div class="alert alert-error" role="alert">
      <strong>Alerts are not reaching the DSL</strong> ({counts}){latest?.last_answer ? `: ${latest.last_answer.replace(/\.$/, '')}.` : '.'} Check the
      mail server on the <a href="/system">System</a> page (someone who runs the box can), then try again below.
    </div>
  );
}

function OutboxTable({ outbox, onSessionEnded, reload }: { outbox: Outbox; onSessionEnded: () => void; reload: () => Promise<void> }) {
  const { error, done, busy, act } = useAction(onSessionEnded, reload);
  return (
    <section class="card alerts-card" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">Emails sent and waiting</h2>
      <p class="quiet">
        {outbox.counts.sent_last_day} sent in the last day; {outbox.counts.waiting} waiting. The box keeps trying an email
        until the mail server takes it.
      </p>
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      {outbox.messages.length === 0 ? (
        <p class="empty">No emails yet.</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Emails, scrolls sideways">
          <table class="outbox-table">
            <caption class="visually-hidden">The latest emails from the box, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What</th>
                <th scope="col">To</th>
                <th scope="col">State</th>
                <th scope="col">Next try</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outbox.messages.map((message) => (
                <tr key={message.id} class={`outbox-${message.state}`}>
                  <td data-label="Time">{shortTime(message.created)}</td>
                  <th scope="row">
                    <span class="outbox-kind">{kindNames[message.kind] ?? message.kind}</span>
                    {message.subject}
                  </th>
                  <td data-label="To">{recipientsInWords(message.recipients)}</td>
                  <td data-label="State" class="outbox-state">
                    {stateInWords(message)}
                  </td>
                  <td data-label="Next try">{message.next_attempt ? shortTime(message.next_attempt) : '—'}</td>
                  <td>
                    {(message.state === 'failed' || message.state === 'retrying') && (
                      <button
                        type="button"
                        class="button button-quiet"
                        disabled={busy}
                        onClick={() => void act(() => alertsApi.retry(message.id), `“${message.subject}” will be tried again now.`)}
                      >
                        Try again<span class="visually-hidden"> “{message.subject}”</span>
                      </button>
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
