import { useEffect, useState } from 'preact/hooks';
import { can, request, type User } from '../api';
import { ErrorSummary, SuccessNote } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { actIfConfirmed, useAction } from '../components/use_action';
import { categoryName, localTime } from '../wording';
import './incidents.css';
import './people.css';

// The people, devices and groups API (firmware/src/web/api/people.cpp, web/openapi.json).
export interface Person {
  id: number;
  name: string;
  upn: string;
  year_group: string;
  class: string;
  staff: boolean;
  devices: string[];
  groups: number[];
  assigned_devices: string[];
}

interface Assignment {
  id: number;
  mac: string;
  from: string;
  until: string | null;
  person: { id: number; name: string | null; staff: boolean } | null;
  pool: string | null;
  group: { id: number; name: string } | null;
}

interface Device {
  mac: string;
  name: string | null;
  first_seen: string;
  last_seen: string;
  assignment: Assignment | null;
}

type Threshold = number | 'never';

export interface Group {
  id: number;
  name: string;
  kind: 'year' | 'class' | 'staff' | 'vulnerable' | 'custom';
  members: number;
  member_ids: number[];
  profile: Record<string, Threshold>;
}

interface Columns {
  name: number | null;
  first_name: number | null;
  last_name: number | null;
  class: number | null;
  year_group: number | null;
  upn: number | null;
  role: number | null;
  devices: number[];
}

interface Preview {
  header: string[];
  columns: Columns;
  rows: { line: number; person: Omit<Person, 'id' | 'groups' | 'assigned_devices'> | null; error: string | null }[];
  valid: number;
  invalid: number;
}

export const peopleApi = {
  people: () => request<{ people: Person[]; unreadable: number }>('GET', '/api/people'),
  devices: () => request<{ devices: Device[] }>('GET', '/api/devices'),
  groups: () => request<{ groups: Group[]; categories: { id: string; title: string }[] }>('GET', '/api/groups'),
  preview: (csv: string, columns: Columns | null) => request<Preview>('POST', '/api/people/import/preview', { csv, columns }),
  import: (csv: string, columns: Columns | null) =>
    request<{ added: number; updated: number; kept: number; skipped: { line: number; error: string }[] }>('POST', '/api/people/import', {
      csv,
      columns,
    }),
  assign: (mac: string, body: { person_id?: number; pool?: string; group_id?: number | null }) =>
    request<{ id: number }>('PUT', `/api/devices/${mac}/assignment`, body),
  unassign: (mac: string) => request<{ mac: string }>('DELETE', `/api/devices/${mac}/assignment`, {}),
  createGroup: (name: string, kind: string) => request<{ id: number }>('POST', '/api/groups', { name, kind }),
  deleteGroup: (id: number) => request<{ id: number }>('DELETE', `/api/groups/${id}`, {}),
  setProfile: (id: number, profile: Record<string, Threshold>) => request<{ id: number }>('PUT', `/api/groups/${id}/profile`, { profile }),
  addMember: (id: number, person: number) => request<unknown>('PUT', `/api/groups/${id}/members/${person}`, {}),
  removeMember: (id: number, person: number) => request<unknown>('DELETE', `/api/groups/${id}/members/${person}`, {}),
};

export const kindNames: Record<Group['kind'], string> = {
  year: 'Year group',
  class: 'Class',
  staff: 'Staff',
  vulnerable: 'Vulnerable / high-risk',
  custom: 'Other',
};

function holderWords(assignment: Assignment | null): string {
  if (!assignment) return 'Nobody';
  if (assignment.person) return assignment.person.name ?? `Person ${assignment.person.id}`;
  return `Shared: ${assignment.pool ?? ''}${assignment.group ? ` (${assignment.group.name})` : ''}`;
}

// /people: who is who, which device is whose (and since when), the groups and their
// age profiles, and the import from the school's information system. Names are shown
// only to roles that may see people; the box records every showing.
export function PeoplePage({ user, onSessionEnded }: { user: User; onSessionEnded: () => void }) {
  const manage = can(user, 'manage_people');
  const [people, setPeople] = useState<Person[] | null>(null);
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [groups, setGroups] = useState<Group[]>([]);
  const [categories, setCategories] = useState<{ id: string; title: string }[]>([]);
  const { error, done, failed, act } = useAction(onSessionEnded, load);

  async function load() {
    try {
      const [loadedPeople, loadedDevices, loadedGroups] = await Promise.all([peopleApi.people(), peopleApi.devices(), peopleApi.groups()]);
      setPeople(loadedPeople.people);
      setDevices(loadedDevices.devices);
      setGroups(loadedGroups.groups);
      setCategories(loadedGroups.categories);
    } catch (failure) {
      failed(failure);
    }
  }

  useEffect(() => {
    void load();
  }, []);

  const groupName = (id: number) => groups.find((group) => group.id === id)?.name ?? `Group ${id}`;

  return (
    <section aria-labelledby="people-heading" class="people">
      <PageHeading
        id="people-heading"
        title="People, devices and groups"
        summary="Pupils and staff, the devices each one uses, and the groups alerts are tuned for. Opening this page is recorded in the audit log."
      />
      <nav aria-label="On this page" class="page-sections">
        <a href="#people-list-heading">People</a>
        <a href="#devices-heading">Devices</a>
        <a href="#groups-heading">Groups</a>
        {manage && <a href="#import-heading">Import from a CSV file</a>}
      </nav>
      <ErrorSummary message={error} />
      <SuccessNote message={done} />

      <PeopleList people={people} groupName={groupName} />
      <DeviceList devices={devices} people={people ?? []} groups={groups} manage={manage} act={act} />
      <Groups groups={groups} people={people ?? []} categories={categories} manage={manage} act={act} />
      {manage && <Import act={act} onFailure={failed} />}
    </section>
  );
}

function PeopleList({ people, groupName }: { people: Person[] | null; groupName: (id: number) => string }) {
  const [find, setFind] = useState('');
  const shown = (people ?? []).filter((person) => `${person.name} ${person.upn} ${person.class} ${person.year_group}`.toLowerCase().includes(find.trim().toLowerCase()));
  return (
    <section class="people-section" aria-labelledby="people-list-heading">
      <h2 id="people-list-heading">People</h2>
      {people === null ? (
        <p class="quiet" role="status">
          Opening the records…
        </p>
      ) : people.length === 0 ? (
        <p class="card empty">Nobody has been imported yet. Import pupils and staff from a CSV file below.</p>
      ) : (
        <>
          <div class="field find-field">
            <label for="people-find">Find a person</label>
            <input id="people-find" type="search" value={find} onInput={(event) => setFind((event.target as HTMLInputElement).value)} />
          </div>
          <div class="table-wrap">
            <table class="captures">
              <caption class="visually-hidden">Pupils and staff</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">UPN</th>
                  <th scope="col">Year group</th>
                  <th scope="col">Class</th>
                  <th scope="col">Devices</th>
                  <th scope="col">Groups</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((person) => (
                  <tr key={person.id}>
                    <td data-label="Name">
                      {person.name}
                      {person.staff && <span class="kind">Staff</span>}
                    </td>
                    <td data-label="UPN">{person.upn || '—'}</td>
                    <td data-label="Year group">{person.year_group || '—'}</td>
                    <td data-label="Class">{person.class || '—'}</td>
                    <td data-label="Devices">{person.assigned_devices.length ? person.assigned_devices.join(', ') : '—'}</td>
                    <td data-label="Groups">{person.groups.length ? person.groups.map(groupName).join(', ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function DeviceList({
  devices,
  people,
  groups,
  manage,
  act,
}: {
  devices: Device[] | null;
  people: Person[];
  groups: Group[];
  manage: boolean;
  act: (what: () => Promise<unknown>, message: string) => Promise<boolean>;
}) {
  const [mac, setMac] = useState('');
  const [to, setTo] = useState('');
  const [pool, setPool] = useState('');
  const [poolGroup, setPoolGroup] = useState('');
  const chosenMac = mac || devices?.[0]?.mac || '';

  async function assign(event: Event) {
    event.preventDefault();
    if (!chosenMac || !to) return;
    const body = to === 'pool' ? { pool: pool.trim(), group_id: poolGroup ? Number(poolGroup) : null } : { person_id: Number(to) };
    const device = devices?.find((item) => item.mac === chosenMac);
    const whom = to === 'pool' ? `the shared pool “${pool.trim()}”` : (people.find((person) => String(person.id) === to)?.name ?? 'them');
    if (await act(() => peopleApi.assign(chosenMac, body), `${device?.name ?? chosenMac} is now assigned to ${whom}.`)) {
      setTo('');
      setPool('');
    }
  }

  return (
    <section class="people-section" aria-labelledby="devices-heading">
      <h2 id="devices-heading">Devices</h2>
      <p class="quiet">
        Devices the box has seen on the network, with the name they gave themselves (DHCP). An assignment runs from when it is made until the device is
        given to someone else, so the box can say who had a device at the time of a capture.
      </p>
      {devices !== null && devices.length === 0 && <p class="card empty">No device has been seen yet.</p>}
      {devices !== null && devices.length > 0 && (
        <div class="table-wrap">
          <table class="captures">
            <caption class="visually-hidden">Devices, most recently seen first</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Last seen</th>
                <th scope="col">Who has it</th>
                {manage && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => (
                <tr key={device.mac}>
                  <td data-label="Device">
                    {device.name ?? <span class="quiet">No name given</span>}
                    <span class="device-mac">{device.mac}</span>
                  </td>
                  <td data-label="Last seen">
                    <time dateTime={device.last_seen}>{localTime(device.last_seen)}</time>
                  </td>
                  <td data-label="Who has it">
                    {holderWords(device.assignment)}
                    {device.assignment && <span class="kind">since {localTime(device.assignment.from)}</span>}
                  </td>
                  {manage && (
                    <td data-label="Change">
                      {device.assignment ? (
                        <button
                          type="button"
                          class="button button-quiet button-small"
                          onClick={() => void act(() => peopleApi.unassign(device.mac), `${device.name ?? device.mac} is no longer assigned.`)}
                        >
                          Unassign<span class="visually-hidden"> {device.name ?? device.mac}</span>
                        </button>
                      ) : (
                        <span class="quiet">—</span>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manage && devices !== null && devices.length > 0 && (
        <form class="card assign-form" onSubmit={assign} aria-labelledby="assign-heading">
          <h3 id="assign-heading">Assign a device</h3>
          <div class="form-row">
            <div class="field">
              <label for="assign-device">Device</label>
              <select id="assign-device" value={chosenMac} onChange={(event) => setMac((event.target as HTMLSelectElement).value)}>
                {devices.map((device) => (
                  <option key={device.mac} value={device.mac}>
                    {device.name ? `${device.name} (${device.mac})` : device.mac}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="assign-to">To</label>
              <select id="assign-to" value={to} onChange={(event) => setTo((event.target as HTMLSelectElement).value)}>
                <option value="">Choose…</option>
                <optgroup label="Pupils">
                  {people
                    .filter((person) => !person.staff)
                    .map((person) => (
                      <option key={person.id} value={String(person.id)}>
                        {person.name}
                        {person.class ? ` (${person.class})` : person.year_group ? ` (${person.year_group})` : ''}
                      </option>
                    ))}
                </optgroup>
                <optgroup label="Staff">
                  {people
                    .filter((person) => person.staff)
                    .map((person) => (
                      <option key={person.id} value={String(person.id)}>
                        {person.name}
                      </option>
                    ))}
                </optgroup>
                <option value="pool">A shared pool (a class set, a trolley)</option>
              </select>
            </div>
            {to === 'pool' && (
              <>
                <div class="field">
                  <label for="assign-pool">Pool name</label>
                  <input id="assign-pool" value={pool} maxLength={80} onInput={(event) => setPool((event.target as HTMLInputElement).value)} />
                </div>
                <div class="field">
                  <label for="assign-pool-group">Used by</label>
                  <select id="assign-pool-group" value={poolGroup} onChange={(event) => setPoolGroup((event.target as HTMLSelectElement).value)}>
                    <option value="">Any group</option>
                    {groups.map((group) => (
                      <option key={group.id} value={String(group.id)}>
                        {group.name}
                      </option>
                    ))}
                  </select>
                </div>
              </>
            )}
          </div>
          <button type="submit" class="button" disabled={!to || (to === 'pool' && !pool.trim())}>
            Assign
          </button>
        </form>
      )}
    </section>
  );
}

const thresholdChoices: { value: string; label: string }[] = [
  { value: '', label: "The box's default" },
  { value: '1', label: 'Any severity (1 and up)' },
  { value: '2', label: 'Guarded and up (2+)' },
  { value: '3', label: 'Elevated and up (3+)' },
  { value: '4', label: 'High and up (4+)' },
  { value: '5', label: 'Critical only (5)' },
  { value: 'never', label: 'Never' },
];

function Groups({
  groups,
  people,
  categories,
  manage,
  act,
}: {
  groups: Group[];
  people: Person[];
  categories: { id: string; title: string }[];
  manage: boolean;
  act: (what: () => Promise<unknown>, message: string) => Promise<boolean>;
}) {
  const [chosen, setChosen] = useState<number | null>(null);
  const [profile, setProfile] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Group['kind']>('vulnerable');
  const [member, setMember] = useState('');
  const group = groups.find((item) => item.id === chosen) ?? groups[0] ?? null;

  useEffect(() => {
    if (!group) return;
    setProfile(Object.fromEntries(Object.entries(group.profile).map(([category, value]) => [category, String(value)])));
  }, [group?.id, groups]);

  async function saveProfile(event: Event) {
    event.preventDefault();
    if (!group) return;
    const body: Record<string, Threshold> = {};
    for (const [category, value] of Object.entries(profile)) {
      if (value) body[category] = value === 'never' ? 'never' : Number(value);
    }
    await act(() => peopleApi.setProfile(group.id, body), `The age profile of ${group.name} is saved.`);
  }

  async function create(event: Event) {
    event.preventDefault();
    if (!name.trim()) return;
    const made = name.trim();
    if (await act(() => peopleApi.createGroup(made, kind), `The group ${made} is made.`)) setName('');
  }

  const members = group ? people.filter((person) => group.member_ids.includes(person.id)) : [];
  return (
    <section class="people-section" aria-labelledby="groups-heading">
      <h2 id="groups-heading">Groups</h2>
      <p class="quiet">
        Year groups and classes come from the import. Each group has an age profile: for each kind of concern, how serious it must be before the DSL is
        alerted about someone in the group.
      </p>
      {groups.length === 0 ? (
        <p class="card empty">No groups yet. Importing pupils makes their year groups and classes.</p>
      ) : (
        <div class="card group-card">
          <div class="field">
            <label for="group-choice">Group</label>
            <select id="group-choice" value={group ? String(group.id) : ''} onChange={(event) => setChosen(Number((event.target as HTMLSelectElement).value))}>
              {groups.map((item) => (
                <option key={item.id} value={String(item.id)}>
                  {item.name} — {kindNames[item.kind]}, {item.members} {item.members === 1 ? 'member' : 'members'}
                </option>
              ))}
            </select>
          </div>
          {group && (
            <form onSubmit={saveProfile} aria-labelledby="profile-heading">
              <h3 id="profile-heading">Age profile of {group.name}</h3>
              <div class="profile-grid">
                {categories.map((category) => (
                  <div class="field" key={category.id}>
                    <label for={`profile-${category.id}`}>{category.title || categoryName(category.id)}</label>
                    <select
                      id={`profile-${category.id}`}
                      value={profile[category.id] ?? ''}
                      disabled={!manage}
                      onChange={(event) => setProfile({ ...profile, [category.id]: (event.target as HTMLSelectElement).value })}
                    >
                      {thresholdChoices.map((choice) => (
                        <option key={choice.value} value={choice.value}>
                          {choice.label}
                        </option>
                      ))}
                    </select>
                  </div>
                ))}
              </div>
              {manage && (
                <div class="form-actions">
                  <button type="submit" class="button">
                    Save the age profile
                  </button>
                  <button
                    type="button"
                    class="button button-quiet"
                    onClick={() => {
                      void actIfConfirmed(
                        act,
                        `Delete the group ${group.name}? Its members stay; only the group and its profile go.`,
                        () => peopleApi.deleteGroup(group.id),
                        `The group ${group.name} is deleted.`,
                      ).then((made) => {
                        if (made !== null) setChosen(null);
                      });
                    }}
                  >
                    Delete this group
                  </button>
                </div>
              )}
            </form>
          )}
          {group && (
            <div class="members">
              <h3>Members</h3>
              {members.length === 0 ? (
                <p class="quiet">Nobody is in this group.</p>
              ) : (
                <ul class="member-list">
                  {members.map((person) => (
                    <li key={person.id}>
                      {person.name}
                      {manage && (
                        <button
                          type="button"
                          class="button button-quiet button-small"
                          onClick={() => void act(() => peopleApi.removeMember(group.id, person.id), `${person.name} left ${group.name}.`)}
                        >
                          Remove<span class="visually-hidden"> {person.name}</span>
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {manage && people.length > 0 && (
                <form
                  class="inline-form"
                  onSubmit={(event) => {
                    event.preventDefault();
                    const person = people.find((item) => String(item.id) === member);
                    if (person) void act(() => peopleApi.addMember(group.id, person.id), `${person.name} joined ${group.name}.`);
                  }}
                >
                  <div class="field">
                    <label for="group-add-member">Add someone</label>
                    <select id="group-add-member" value={member} onChange={(event) => setMember((event.target as HTMLSelectElement).value)}>
                      <option value="">Choose…</option>
                      {people
                        .filter((person) => !group.member_ids.includes(person.id))
                        .map((person) => (
                          <option key={person.id} value={String(person.id)}>
                            {person.name}
                          </option>
                        ))}
                    </select>
                  </div>
                  <button type="submit" class="button button-quiet" disabled={!member}>
                    Add to the group
                  </button>
                </form>
              )}
            </div>
          )}
        </div>
      )}
      {manage && (
        <form class="card group-new" onSubmit={create} aria-labelledby="group-new-heading">
          <h3 id="group-new-heading">Make a group</h3>
          <div class="inline-form">
          <div class="field">
            <label for="group-name">Name</label>
            <input id="group-name" value={name} maxLength={80} onInput={(event) => setName((event.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="group-kind">Kind</label>
            <select id="group-kind" value={kind} onChange={(event) => setKind((event.target as HTMLSelectElement).value as Group['kind'])}>
              {(Object.keys(kindNames) as Group['kind'][]).map((value) => (
                <option key={value} value={value}>
                  {kindNames[value]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button" disabled={!name.trim()}>
            Make the group
          </button>
          </div>
        </form>
      )}
    </section>
  );
}

const fieldNames: { key: keyof Omit<Columns, 'devices'>; label: string }[] = [
  { key: 'name', label: 'Full name' },
  { key: 'first_name', label: 'First name' },
  { key: 'last_name', label: 'Surname' },
  { key: 'upn', label: 'UPN' },
  { key: 'year_group', label: 'Year group' },
  { key: 'class', label: 'Class' },
  { key: 'role', label: 'Pupil or staff' },
];

// The CSV import: choose the file, check how its columns are read and what each row
// gives (a bad row says why in plain words and is left out), then import the rest.
function Import({
  act,
  onFailure,
}: {
  act: (what: () => Promise<unknown>, message: string) => Promise<boolean>;
  onFailure: (failure: unknown) => void;
}) {
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [columns, setColumns] = useState<Columns | null>(null);
  const [busy, setBusy] = useState(false);

  async function read(text: string, mapping: Columns | null) {
    setBusy(true);
    try {
      const answer = await peopleApi.preview(text, mapping);
      setPreview(answer);
      setColumns(answer.columns);
    } catch (failure) {
      setPreview(null);
      onFailure(failure);
    } finally {
      setBusy(false);
    }
  }

  async function choose(event: Event) {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const text = await file.text();
    setFileName(file.name);
    setCsv(text);
    setColumns(null);
    await read(text, null);
  }

  function remap(key: keyof Columns, value: string) {
    if (!columns || csv === null) return;
    const next: Columns =
      key === 'devices' ? { ...columns, devices: value === '' ? [] : [Number(value)] } : { ...columns, [key]: value === '' ? null : Number(value) };
    setColumns(next);
    void read(csv, next);
  }

  async function importRows() {
    if (csv === null || !preview) return;
    const count = preview.valid;
    if (
      await act(
        () => peopleApi.import(csv, columns),
        `${count} ${count === 1 ? 'person was' : 'people were'} imported${preview.invalid ? `; ${preview.invalid} ${preview.invalid === 1 ? 'row was' : 'rows were'} left out` : ''}.`,
      )
    ) {
      setCsv(null);
      setPreview(null);
      setFileName('');
    }
  }

  return (
    <section class="people-section" aria-labelledby="import-heading">
      <h2 id="import-heading">Import from a CSV file</h2>
      <div class="card import-card">
        <p>
          Export pupils (and staff, if you like) from your school's information system (SIMS, Arbor, Bromcom…) as a CSV file with a header line: name (or
          first name and surname), UPN, year group and class; a MAC address column assigns each person their device. Someone already imported (the same
          UPN) is updated, not added twice. Names are sealed as soon as they arrive.
        </p>
        <div class="field">
          <label for="import-file">CSV file</label>
          <input id="import-file" type="file" accept=".csv,text/csv" onChange={(event) => void choose(event)} />
        </div>
        {busy && (
          <p class="quiet" role="status">
            Reading {fileName}…
          </p>
        )}
        {preview && columns && (
          <div class="import-preview">
            <h3 id="mapping-heading">How the columns are read</h3>
            <div class="profile-grid" role="group" aria-labelledby="mapping-heading">
              {fieldNames.map((field) => (
                <div class="field" key={field.key}>
                  <label for={`map-${field.key}`}>{field.label}</label>
                  <select id={`map-${field.key}`} value={columns[field.key] === null ? '' : String(columns[field.key])} onChange={(event) => remap(field.key, (event.target as HTMLSelectElement).value)}>
                    <option value="">Not in the file</option>
                    {preview.header.map((title, index) => (
                      <option key={index} value={String(index)}>
                        {title || `Column ${index + 1}`}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
              <div class="field">
                <label for="map-devices">Device (MAC address)</label>
                <select id="map-devices" value={columns.devices.length ? String(columns.devices[0]) : ''} onChange={(event) => remap('devices', (event.target as HTMLSelectElement).value)}>
                  <option value="">Not in the file</option>
                  {preview.header.map((title, index) => (
                    <option key={index} value={String(index)}>
                      {title || `Column ${index + 1}`}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <h3 id="preview-heading">What will be imported</h3>
            <p role="status" class={preview.invalid ? 'preview-summary preview-summary-problem' : 'preview-summary'}>
              {preview.valid} {preview.valid === 1 ? 'row is' : 'rows are'} ready to import.
              {preview.invalid > 0 && ` ${preview.invalid} ${preview.invalid === 1 ? 'row has a problem and will be left out' : 'rows have a problem and will be left out'}: fix ${preview.invalid === 1 ? 'it' : 'them'} in the file and import again.`}
            </p>
            <div class="table-wrap">
              <table class="captures preview-table">
                <caption class="visually-hidden">Each row of the file as it will be imported</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Name</th>
                    <th scope="col">UPN</th>
                    <th scope="col">Year group</th>
                    <th scope="col">Class</th>
                    <th scope="col">Devices</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row) =>
                    row.person ? (
                      <tr key={row.line}>
                        <td data-label="Line">{row.line}</td>
                        <td data-label="Name">
                          {row.person.name}
                          {row.person.staff && <span class="kind">Staff</span>}
                        </td>
                        <td data-label="UPN">{row.person.upn || '—'}</td>
                        <td data-label="Year group">{row.person.year_group || '—'}</td>
                        <td data-label="Class">{row.person.class || '—'}</td>
                        <td data-label="Devices">{row.person.devices.join(', ') || '—'}</td>
                      </tr>
                    ) : (
                      <tr key={row.line} class="row-problem">
                        <td data-label="Line">{row.line}</td>
                        <td data-label="Problem" colSpan={5}>
                          <strong>Left out:</strong> {row.error}
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
            <div class="form-actions">
              <button type="button" class="button" disabled={busy || preview.valid === 0} onClick={() => void importRows()}>
                Import {preview.valid} {preview.valid === 1 ? 'person' : 'people'}
              </button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
