import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Capture } from '../api';
import { ErrorSummary } from '../components/field';
import { PageHeading } from '../components/page_heading';
import { categoryName, localTime, severityName } from '../wording';

// Everything the box has captured, newest first, a page at a time.
export function CapturesPage({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [captures, setCaptures] = useState<Capture[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function load(before?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await api.captures(before);
      setCaptures((earlier) => (before && earlier ? [...earlier, ...page.captures] : page.captures));
      setNext(page.next);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
      else setError((failure as Error).message);
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="captures-heading">
      <PageHeading
        id="captures-heading"
        title="Captures"
        summary="Things seen on the school network that match the safeguarding list, newest first."
      >
        <button type="button" class="button button-quiet" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
      </PageHeading>
      <ErrorSummary message={error} />
      {captures === null && !error && (
        <p class="quiet" role="status">
          Loading captures…
        </p>
      )}
      {captures !== null && captures.length === 0 && <EmptyState />}
      {captures !== null && captures.length > 0 && (
        <>
          <CaptureTable captures={captures} />
          {next && (
            <div class="more">
              <button type="button" class="button button-quiet" onClick={() => void load(next)} disabled={loading}>
                {loading ? 'Loading…' : 'Show older captures'}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function EmptyState() {
  return (
    <div class="card empty">
      <h2>Nothing has been captured yet</h2>
      <p>
        That is good news. When a device on the school network searches for, visits or types something on the
        safeguarding list (for example about self-harm, bullying or extremism), it appears here within a second or
        two, with the time, the device, and what was matched.
      </p>
      <p class="quiet">
        The box only sees traffic once its monitoring cable is plugged into the switch's mirror port.
      </p>
    </div>
  );
}

function CaptureTable({ captures }: { captures: Capture[] }) {
  return (
    <div class="table-wrap">
      <table class="captures">
        <caption class="visually-hidden">Captures, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Device</th>
            <th scope="col">Category</th>
            <th scope="col">Severity</th>
            <th scope="col">Phrase</th>
            <th scope="col">Site</th>
          </tr>
        </thead>
        <tbody>
          {captures.map((capture) => (
            <tr key={capture.id}>
              <td data-label="Time">
                <time dateTime={capture.time}>{localTime(capture.time)}</time>
              </td>
              <td data-label="Device">
                <span class="device">
                  <span class="device-ip">{capture.device.ip}</span>
                  {capture.device.mac && <span class="device-mac">{capture.device.mac}</span>}
                </span>
              </td>
              <td data-label="Category">{categoryName(capture.category)}</td>
              <td data-label="Severity">
                <span class={`severity severity-${capture.severity}`}>
                  <span class="severity-level" aria-hidden="true">
                    {capture.severity}
                  </span>
                  {severityName(capture.severity)}
                </span>
              </td>
              <td data-label="Phrase">
                <span class="phrase">{capture.phrase}</span>
              </td>
              <td data-label="Site">
                <span class="site">{capture.host || '—'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
