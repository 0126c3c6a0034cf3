import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, can, type ConcernCounts, type Dashboard, type User } from '../api';
import { BarList, Columns } from '../components/chart';
import { PageLink } from '../components/capture_table';
import { ErrorSummary } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { bytesName, categoryName, localTime, severityName, visibilityName } from '../wording';
import './dashboard.css';

// Traffic classes the box can read at least a site name from; the rest it cannot see into.
const visibleClasses = new Set(['plain_http', 'named_tls', 'named_quic', 'dns', 'dhcp']);

// Local midnight of `now`'s day, and the Monday of its week, in microseconds (the box
// keeps UTC).
function periodStarts(now: Date): { day: number; week: number } {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const monday = new Date(day);
  monday.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return { day: day.getTime() * 1000, week: monday.getTime() * 1000 };
}

// "Is anything wrong, and is the box working?" — at a glance, for every role that may
// see it; evidence and names stay on the pages that need the permissions for them.
export function DashboardPage({ user, onSessionEnded }: { user: User; onSessionEnded: () => void }) {
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      const { day, week } = periodStarts(new Date());
      let board = await api.dashboard(day, week);
      // Replaying a recording, "today" is the recording's last day: ask again for it.
      if (board.recording_as_of) {
        const recorded = periodStarts(new Date(board.recording_as_of));
        board = await api.dashboard(recorded.day, recorded.week);
      }
      setData(board);
      setError(null);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
      else setError((failure as Error).message);
    }
  }

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  return (
    <section aria-labelledby="dashboard-heading" class="dashboard">
      <PageHeading
        id="dashboard-heading"
        title="Dashboard"
        summary="Is anything wrong, and is the box working? Updated every minute."
      >
        <button type="button" class="button button-quiet" onClick={() => void load()}>
          Refresh
        </button>
      </PageHeading>
      <ErrorSummary message={error} />
      {!data && !error && (
        <p class="quiet" role="status">
          Loading the dashboard…
        </p>
      )}
      {data?.recording_as_of && (
        <p class="alert alert-info" role="note">
          Test mode: the box is reading a recording, not the school's network. The figures are as the recording
          stood at its end, {localTime(data.recording_as_of)}.
        </p>
      )}
      {data && <DashboardBody data={data} user={user} />}
    </section>
  );
}

function DashboardBody({ data, user }: { data: Dashboard; user: User }) {
  const evidence = can(user, 'see_evidence');
  return (
    <>
      <div class="glance">
        <ConcernAnswer data={data} evidence={evidence} />
        <HealthAnswer data={data} />
      </div>
      <div class="dashboard-grid">
        <Period title="Concerns today" counts={data.today} />
        <Period title="Concerns this week" counts={data.week} />
        <ReviewCard data={data} evidence={evidence} />
        <IncidentsCard data={data} user={user} />
        <DevicesCard data={data} evidence={evidence} />
        <VisibilityCard data={data} />
        <HealthCard data={data} />
      </div>
    </>
  );
}

function ConcernAnswer({ data, evidence }: { data: Dashboard; evidence: boolean }) {
  const { serious, waiting } = data.review;
  const tone = serious > 0 ? 'alarm' : waiting > 0 ? 'attention' : 'calm';
  const headline =
    serious > 0
      ? `${serious.toLocaleString('en-GB')} serious ${serious === 1 ? 'concern needs' : 'concerns need'} review`
      : waiting > 0
        ? `${waiting.toLocaleString('en-GB')} ${waiting === 1 ? 'capture' : 'captures'} to review, none serious`
        : 'Nothing is waiting for review';
  return (
    <div class={`card answer answer-${tone}`}>
      <h2>Is anything wrong?</h2>
      <p class="answer-headline">{headline}</p>
      <p class="quiet">
        {data.today.total.toLocaleString('en-GB')} captured today, {data.incidents.length} open{' '}
        {data.incidents.length === 1 ? 'incident' : 'incidents'}.
      </p>
      {evidence && waiting > 0 && (
        <PageLink class="button" href="/captures?status=new">
          Review captures
        </PageLink>
      )}
    </div>
  );
}

// Working: traffic arrived in the last minutes, captures are stored, the disk has room.
function healthProblems(data: Dashboard): string[] {
  const problems: string[] = [];
  const { mirror, store, disk, time } = data.health;
  if (mirror.recent_packets === 0 && !(mirror.live && mirror.live.packets_recent > 0)) {
    problems.push(
      mirror.last_traffic
        ? `No traffic from the mirror port in the last ${mirror.recent_minutes} minutes (last seen ${localTime(mirror.last_traffic)}).`
        : 'No traffic has arrived from the mirror port yet. Check the monitoring cable.',
    );
  }
  if (store.state !== 'ok') problems.push(`Captures are not being stored: ${store.message}`);
  if (disk && disk.total_bytes > 0 && disk.free_bytes / disk.total_bytes < 0.05) {
    problems.push(`The disk is nearly full (${bytesName(disk.free_bytes)} free).`);
  }
  if (time.synchronized === false) problems.push('The clock is not synchronised, so capture times may be wrong.');
  return problems;
}

function HealthAnswer({ data }: { data: Dashboard }) {
  const problems = healthProblems(data);
  return (
    <div class={`card answer answer-${problems.length === 0 ? 'calm' : 'attention'}`}>
      <h2>Is the box working?</h2>
      <p class="answer-headline">
        {problems.length > 0
          ? 'Something needs attention'
          : data.recording_as_of
            ? 'Yes, it has read the recording'
            : 'Yes, it is watching the network'}
      </p>
      {problems.length === 0 ? (
        <p class="quiet">
          {data.health.mirror.recent_packets.toLocaleString('en-GB')} packets in the{' '}
          {data.recording_as_of ? "recording's" : ''} last {data.health.mirror.recent_minutes} minutes.
        </p>
      ) : (
        <ul class="problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Period({ title, counts }: { title: string; counts: ConcernCounts }) {
  const id = title.toLowerCase().replace(/\s+/g, '-');
  return (
    <div class="card" aria-labelledby={id}>
      <h2 id={id}>
        {title}: {counts.total.toLocaleString('en-GB')}
      </h2>
      <h3>By severity</h3>
      <BarList
        label={`${title} by severity`}
        bars={counts.by_severity.map((row) => ({
          label: severityName(row.severity),
          value: row.count,
          tone: `severity-${row.severity}`,
        }))}
      />
      <h3>By category</h3>
      <BarList
        label={`${title} by category`}
        empty="Nothing captured."
        bars={counts.by_category.slice(0, 6).map((row) => ({ label: categoryName(row.category), value: row.count }))}
      />
    </div>
  );
}

function minutesName(minutes: number): string {
  if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return `${Math.round(hours / 24)} days`;
}

function ReviewCard({ data, evidence }: { data: Dashboard; evidence: boolean }) {
  const { review } = data;
  return (
    <div class="card">
      <h2>What needs review</h2>
      <dl class="figures">
        <div>
          <dt>Waiting</dt>
          <dd>{review.waiting.toLocaleString('en-GB')}</dd>
        </div>
        <div>
          <dt>Serious (high or critical)</dt>
          <dd>{review.serious.toLocaleString('en-GB')}</dd>
        </div>
      </dl>
      {review.oldest_serious && <p>The oldest serious one was captured {localTime(review.oldest_serious)}.</p>}
      <p class="quiet">
        {review.median_minutes_to_first_review === null
          ? 'Nothing was reviewed in the last 30 days.'
          : `In the last 30 days ${review.reviewed_last_30_days.toLocaleString('en-GB')} captures were reviewed, typically ${minutesName(review.median_minutes_to_first_review)} after they happened.`}
      </p>
      {evidence && review.waiting > 0 && <PageLink href="/captures?status=new">See the captures waiting for review</PageLink>}
    </div>
  );
}

function IncidentsCard({ data, user }: { data: Dashboard; user: User }) {
  return (
    <div class="card">
      <h2>Open incidents: {data.incidents.length}</h2>
      {data.incidents.length === 0 ? (
        <p class="quiet">No incident is open.</p>
      ) : (
        <ul class="plain-list">
          {data.incidents.slice(0, 6).map((incident) => (
            <li key={incident.id}>
              {can(user, 'handle_incidents') ? (
                <PageLink href={`/incidents/${incident.id}`}>Incident {incident.id}</PageLink>
              ) : (
                `Incident ${incident.id}`
              )}
              : open {incident.age_days === 0 ? 'since today' : `for ${incident.age_days} ${incident.age_days === 1 ? 'day' : 'days'}`},{' '}
              {incident.captures} {incident.captures === 1 ? 'capture' : 'captures'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DevicesCard({ data, evidence }: { data: Dashboard; evidence: boolean }) {
  return (
    <div class="card">
      <h2>Most concerning devices this week</h2>
      {data.devices.length === 0 ? (
        <p class="quiet">No device had a serious capture this week.</p>
      ) : (
        <table class="compact">
          <caption class="visually-hidden">Devices with the most serious captures this week</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">High or critical</th>
              <th scope="col">Worst</th>
            </tr>
          </thead>
          <tbody>
            {data.devices.map((device) => {
              const id = device.mac ?? device.ip;
              return (
                <tr key={id}>
                  <td>
                    {device.person && <span class="device-person">{device.person}</span>}
                    {evidence ? (
                      <PageLink href={`/captures?device=${encodeURIComponent(id)}`}>{id}</PageLink>
                    ) : (
                      <span class="mono">{id}</span>
                    )}
                  </td>
                  <td>{device.serious.toLocaleString('en-GB')}</td>
                  <td>{severityName(device.highest_severity)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {data.groups && data.groups.length > 0 && (
        <>
          <h3>Groups</h3>
          <BarList
            label="Groups with the most serious captures this week"
            bars={data.groups.map((group) => ({ label: group.name, value: group.serious, tone: 'severity-4' }))}
          />
          <p class="hint">Serious (high or critical) captures this week from each group's devices.</p>
          {evidence && (
            <ul class="plain-list">
              {data.groups.map((group) => (
                <li key={group.id}>
                  <PageLink href={`/captures?group=${group.id}`}>{`See ${group.name}'s captures`}</PageLink>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function VisibilityCard({ data }: { data: Dashboard }) {
  const total = data.visibility.reduce((sum, row) => sum + row.bytes, 0);
  const seen = data.visibility.filter((row) => visibleClasses.has(row.visibility)).reduce((sum, row) => sum + row.bytes, 0);
  const share = total === 0 ? null : Math.round((seen / total) * 100);
  return (
    <div class="card">
      <h2>What the box could see today</h2>
      <p>
        {share === null
          ? 'No traffic has been counted today.'
          : `It could read at least the site name for ${share}% of the traffic (${bytesName(total)} in all).`}
      </p>
      <BarList
        label="Traffic today by what the box could see"
        empty="Nothing counted."
        bars={data.visibility.map((row) => ({
          label: visibilityName(row.visibility),
          value: row.bytes,
          text: bytesName(row.bytes),
          tone: visibleClasses.has(row.visibility) ? 'seen' : 'unseen',
        }))}
      />
      <p class="hint">Traffic the box cannot see into (VPNs, encrypted look-ups) is shown in grey.</p>
    </div>
  );
}

function HealthCard({ data }: { data: Dashboard }) {
  const { mirror, store, disk, library, time } = data.health;
  return (
    <div class="card">
      <h2>The box's health</h2>
      <h3>Mirror port traffic, last {mirror.recent_minutes} minutes</h3>
      <Columns
        label="Packets per minute"
        values={mirror.per_minute.map((minute) => ({ label: localTime(minute.minute), value: minute.packets }))}
      />
      <dl class="facts">
        <dt>Last traffic</dt>
        <dd>{mirror.last_traffic ? localTime(mirror.last_traffic) : 'None yet'}</dd>
        {mirror.live && (
          <>
            <dt>Packets dropped</dt>
            <dd>
              {(mirror.live.ring_drops + mirror.live.kernel_drops).toLocaleString('en-GB')}
              {mirror.live.ring_drops + mirror.live.kernel_drops === 0 ? ' (none)' : ' (the box was too busy)'}
            </dd>
          </>
        )}
        <dt>Storing captures</dt>
        <dd>
          {store.state === 'ok' ? 'Working' : store.message}
          {store.captures_unstored > 0 && ` (${store.captures_unstored.toLocaleString('en-GB')} not stored while the disk was full)`}
        </dd>
        <dt>Disk free</dt>
        <dd>{disk ? `${bytesName(disk.free_bytes)} of ${bytesName(disk.total_bytes)}` : 'Unknown'}</dd>
        <dt>Library</dt>
        <dd>
          {library.source === 'bundle'
            ? `Version ${library.version}`
            : library.source === 'starter'
              ? 'The starter library (no update installed yet)'
              : 'Cannot be read'}
        </dd>
        <dt>Clock</dt>
        <dd>
          {time.synchronized === null ? 'Synchronisation not reported' : time.synchronized ? 'Synchronised' : 'Not synchronised'}
        </dd>
      </dl>
    </div>
  );
}
