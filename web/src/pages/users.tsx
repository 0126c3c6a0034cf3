import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary, Field, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { actIfConfirmed, useAction } from '../components/use_action';
import { accountsApi, whenUs, type Account, type RoleInfo } from './accounts_api';
import './accounts.css';

// Staff accounts and their roles (headteacher only).
export function UsersPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [roles, setRoles] = useState<RoleInfo[]>([]);
  const { error, done, failed, act } = useAction(onSessionEnded, load);

  async function load() {
    try {
      const answer = await accountsApi.users();
      setAccounts(answer.users);
      setRoles(answer.roles);
    } catch (failure) {
      failed(failure);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="users-heading" class="accounts">
      <PageHeading id="users-heading" title="Users" summary="Who can sign in to the box, and what each person can see." />
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      {accounts === null && !error && (
        <p class="quiet" role="status">
          Loading…
        </p>
      )}
      {accounts && (
        <div class="table-wrap">
          <table class="accounts-table">
            <caption class="visually-hidden">Staff accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Last signed in</th>
                <th scope="col">Two-step sign-in</th>
                <th scope="col">Sign-in</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <AccountRow key={account.id} account={account} roles={roles} act={act} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {roles.length > 0 && <AddAccount roles={roles} act={act} />}
      {roles.length > 0 && (
        <div class="card">
          <h2>What each role can do</h2>
          <dl class="role-list">
            {roles.map((role) => (
              <div key={role.id}>
                <dt>{role.title}</dt>
                <dd>{role.description}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </section>
  );
}

type Act = (what: () => Promise<unknown>, message: string) => Promise<boolean>;

function AccountRow({ account, roles, act }: { account: Account; roles: RoleInfo[]; act: Act }) {
  const [role, setRole] = useState(account.role);
  const [password, setPassword] = useState('');
  const [resetting, setResetting] = useState(false);
  const chosen = roles.find((r) => r.id === role);
  const needsPassword = role !== account.role && chosen?.sees_evidence && !account.has_evidence_key;
  const name = account.display_name;
  return (
    <tr>
      <td data-label="Name">
        <strong>{name}</strong>
        <span class="quiet"> {account.username}</span>
        {account.is_you && <span class="tag">you</span>}
      </td>
      <td data-label="Role">
        {account.is_you ? (
          account.role_title
        ) : (
          <div class="role-change">
            <label class="visually-hidden" for={`role-${account.id}`}>
              Role of {name}
            </label>
            <select id={`role-${account.id}`} value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              {roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
            {needsPassword && (
              <Field
                id={`role-password-${account.id}`}
                label={`New first password for ${name}`}
                hint="This role sees evidence, so they need a new password to hold the evidence key."
                type="password"
                value={password}
                onInput={setPassword}
                autocomplete="new-password"
              />
            )}
            {role !== account.role && (
              <button
                type="button"
                class="button button-small"
                onClick={() =>
                  void act(
                    () => accountsApi.changeRole(account.id, role, needsPassword ? password : undefined),
                    `${name} is now: ${chosen?.title ?? role}. They have been signed out.`,
                  )
                }
              >
                Save role
              </button>
            )}
          </div>
        )}
      </td>
      <td data-label="Last signed in">{whenUs(account.last_sign_in_us)}</td>
      <td data-label="Two-step sign-in">{account.two_step ? 'On' : 'Off'}</td>
      <td data-label="Sign-in">
        {account.locked_seconds > 0 ? (
          <span class="tag tag-warn">Locked for {Math.ceil(account.locked_seconds / 60)} min</span>
        ) : (
          'Open'
        )}
      </td>
      <td data-label="Actions">
        {!account.is_you && (
          <div class="row-actions">
            <button type="button" class="button button-quiet button-small" onClick={() => setResetting(!resetting)} aria-expanded={resetting}>
              New password…
            </button>
            <button
              type="button"
              class="button button-quiet button-small"
              onClick={() => void act(() => accountsApi.signOutUser(account.id), `${name} has been signed out everywhere.`)}
            >
              Sign out everywhere
            </button>
            <button
              type="button"
              class="button button-danger button-small"
              aria-label={`Remove ${name}`}
              onClick={() => {
                void actIfConfirmed(
                  act,
                  `Remove ${name}'s account? They will no longer be able to sign in.`,
                  () => accountsApi.removeUser(account.id),
                  `${name}'s account was removed.`,
                );
              }}
            >
              Remove
            </button>
            {resetting && (
              <form
                class="inline-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  void act(() => accountsApi.resetPassword(account.id, password), `${name} has a new first password. Tell them in person.`).then(
                    (ok) => ok && setResetting(false),
                  );
                }}
              >
                <Field id={`reset-${account.id}`} label={`New password for ${name}`} type="password" value={password} onInput={setPassword} autocomplete="new-password" />
                <button type="submit" class="button button-small">
                  Set password
                </button>
              </form>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

function AddAccount({ roles, act }: { roles: RoleInfo[]; act: Act }) {
  const [form, setForm] = useState({ display_name: '', username: '', role: 'dsl', password: '' });
  const chosen = roles.find((r) => r.id === form.role);
  return (
    <form
      class="card"
      aria-labelledby="add-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void act(() => accountsApi.addUser(form), `${form.display_name} can now sign in as ${form.username}.`).then(
          (ok) => ok && setForm({ display_name: '', username: '', role: form.role, password: '' }),
        );
      }}
    >
      <h2 id="add-heading">Add a person</h2>
      <Field id="new-display-name" label="Their name" hint="As colleagues know them, e.g. Dee Okafor." value={form.display_name} onInput={(v) => setForm({ ...form, display_name: v })} />
      <Field
        id="new-username"
        label="User name"
        hint="What they type to sign in: letters, digits, dots, dashes (e.g. d.okafor)."
        value={form.username}
        onInput={(v) => setForm({ ...form, username: v })}
        extra={{ spellcheck: false, autocapitalize: 'none' }}
      />
      <div class="field">
        <label for="new-role">Role</label>
        <p class="hint" id="new-role-hint">
          {chosen?.description}
        </p>
        <select id="new-role" aria-describedby="new-role-hint" value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value })}>
          {roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="new-password"
        label="First password"
        hint="At least 10 characters. Tell it to them in person; they can change it on their Account page."
        type="password"
        value={form.password}
        onInput={(v) => setForm({ ...form, password: v })}
        autocomplete="new-password"
      />
      <button type="submit" class="button">
        Add this person
      </button>
    </form>
  );
}
