import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorSummary } from '../components/field';
import { MailSettingsForm } from '../components/mail_settings_form';
import { MirrorCheck } from '../components/mirror_check';
import { PageHeading } from '../components/page_heading';
import { formatBytes, formatCount, formatDuration, systemApi, type SystemOverview } from '../components/system_api';
import './system.css';

function localTime(iso: string) {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

// The box itself (headteacher and technician): is capture working, is there room on the
// disk, is the clock right, which library, the mail server, and a restart. No pupil's
// name and no evidence appear here.
export function SystemPage({ onSessionEnded, canSeeDslEmail }: { onSessionEnded: () => void; canSeeDslEmail: boolean }) {
  const [overview, setOverview] = useState<SystemOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restart, setRestart] = useState<{ ok: boolean; message: string } | null>(null);
  const [confirming, setConfirming] = useState(false);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }

  useEffect(() => {
    systemApi.overview().then(setOverview).catch(failed);
  }, []);

  async function doRestart() {
    setConfirming(false);
    try {
      const answer = await systemApi.restart();
      setRestart({ ok: true, message: answer.message });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
      else setRestart({ ok: false, message: (failure as Error).message });
    }
  }

  const capture = overview?.capture;
  return (
    <section class="system" aria-labelledby="system-heading">
      <PageHeading id="system-heading" title="System" summary="The box itself: its network ports, disk, clock, library and email." />
      <ErrorSummary message={error} />
      {!overview && !error && (
        <p class="quiet" role="status">
          Loading…
        </p>
      )}
      <section class="card" aria-labelledby="mirror-heading">
        <h2 id="mirror-heading">Is the mirror port working?</h2>
        <MirrorCheck onSessionEnded={onSessionEnded} />
      </section>
      {overview && capture && (
        <>
          <section class="card" aria-labelledby="interfaces-heading">
            <h2 id="interfaces-heading">Network ports</h2>
            <dl class="system-facts">
              <div>
                <dt>Capturing from</dt>
                <dd>
                  {capture.mode === 'live'
                    ? `the mirror port (${capture.source})`
                    : capture.mode === 'replay'
                      ? `a recording (${capture.source}), test mode`
                      : 'nothing: this copy only shows the web pages'}
                </dd>
              </div>
              <div>
                <dt>Packets captured</dt>
                <dd>{formatCount(capture.packets)}</dd>
              </div>
              <div>
                <dt>Dropped: the box was too busy</dt>
                <dd>{formatCount(capture.drops.ring)}</dd>
              </div>
              <div>
                <dt>Dropped by the network card's driver</dt>
                <dd>{formatCount(capture.drops.kernel + capture.drops.interface)}</dd>
              </div>
            </dl>
            {/* Focusable, so the keyboard can scroll it at phone width. */}
            <div class="table-scroll" tabIndex={0} role="region" aria-label="Network ports, scrolls sideways">
              <table class="system-table">
                <caption class="visually-hidden">The box's network ports and their counters</caption>
                <thead>
                  <tr>
                    <th scope="col">Port</th>
                    <th scope="col">Used for</th>
                    <th scope="col">Address</th>
                    <th scope="col">Packets in</th>
                    <th scope="col">Dropped</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.interfaces.map((port) => (
                    <tr key={port.name}>
                      <th scope="row">
                        {port.name}
                        {!port.up && ' (down)'}
                      </th>
                      <td>{port.role === 'mirror' ? 'Mirror port' : port.role === 'management' ? 'This web page' : 'Not used'}</td>
                      <td>{port.addresses.length ? port.addresses.join(', ') : 'none'}</td>
                      <td>{port.rx_packets === null ? 'not known' : formatCount(port.rx_packets)}</td>
                      <td>{port.rx_dropped === null ? 'not known' : formatCount(port.rx_dropped)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section class="card" aria-labelledby="storage-heading">
            <h2 id="storage-heading">Storage</h2>
            <dl class="system-facts">
              <div>
                <dt>The box's data</dt>
                <dd>{formatBytes(overview.storage.data_folder_bytes)}</dd>
              </div>
              {overview.storage.free_bytes !== undefined && (
                <div>
                  <dt>Free space</dt>
                  <dd>
                    {formatBytes(overview.storage.free_bytes)}
                    {overview.storage.total_bytes ? ` of ${formatBytes(overview.storage.total_bytes)}` : ''}
                  </dd>
                </div>
              )}
              <div>
                <dt>Captures kept</dt>
                <dd>{formatCount(overview.storage.captures ?? 0)}</dd>
              </div>
              <div>
                <dt>Oldest capture</dt>
                <dd>{overview.storage.oldest_capture ? localTime(overview.storage.oldest_capture) : 'none yet'}</dd>
              </div>
            </dl>
          </section>
          <section class="card" aria-labelledby="time-heading">
            <h2 id="time-heading">Time, library and version</h2>
            <dl class="system-facts">
              <div>
                <dt>The box's clock</dt>
                <dd>{localTime(overview.time.now)}</dd>
              </div>
              <div>
                <dt>Clock set from the internet</dt>
                <dd>
                  {overview.time.synchronised === true
                    ? 'Yes'
                    : overview.time.synchronised === false
                      ? 'No: times on captures may be wrong. Check that the box can reach the internet.'
                      : 'Not known on this system'}
                </dd>
              </div>
              <div>
                <dt>Safeguarding library</dt>
                <dd>
                  {overview.library.source === 'bundle'
                    ? `Edition ${overview.library.version}${overview.library.publisher ? ` from ${overview.library.publisher}` : ''}${
                        overview.library.installed ? `, installed ${localTime(overview.library.installed)}` : ''
                      }`
                    : overview.library.source === 'starter'
                      ? 'The starter library that came with the box'
                      : `Cannot be read: ${overview.library.problem ?? ''}`}
                </dd>
              </div>
              <div>
                <dt>Software version</dt>
                <dd>hallmonitor {overview.version}</dd>
              </div>
              <div>
                <dt>Running for</dt>
                <dd>
                  {formatDuration(overview.uptime.daemon_seconds)}
                  {overview.uptime.box_seconds !== undefined && ` (the box has been on for ${formatDuration(overview.uptime.box_seconds)})`}
                </dd>
              </div>
            </dl>
          </section>
        </>
      )}
      <section class="card" aria-labelledby="mail-heading">
        <h2 id="mail-heading">Email</h2>
        <p class="quiet">The mail server the box sends alerts and reports through.</p>
        <MailSettingsForm onSessionEnded={onSessionEnded} showTestAddress={canSeeDslEmail} />
      </section>
      <section class="card" aria-labelledby="restart-heading">
        <h2 id="restart-heading">Restart</h2>
        <p class="quiet">
          Restarting stops watching the network for about half a minute. Only do it if something is not working.
        </p>
        {overview && !overview.can_restart && (
          <p class="hint">Not available here: this copy is not running as the box's service.</p>
        )}
        {confirming ? (
          <div class="wizard-actions" role="group" aria-label="Confirm the restart">
            <button type="button" class="button" onClick={() => void doRestart()}>
              Yes, restart now
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" class="button button-quiet" onClick={() => setConfirming(true)}>
            Restart the box's software
          </button>
        )}
        {restart &&
          (restart.ok ? (
            <p class="alert alert-success" role="status">
              {restart.message}
            </p>
          ) : (
            <div class="alert alert-error" role="alert">
              {restart.message}
            </div>
          ))}
      </section>
    </section>
  );
}
