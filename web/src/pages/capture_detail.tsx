import { useEffect, useState } from 'preact/hooks';
import { api, can, request, type CaptureDetail, type User } from '../api';
import { ErrorSummary, SuccessNote } from '../components/field';
import { useAction } from '../components/use_action';
import { PageHeading } from '../components/page_heading';
import { categoryName, localTime, observationKindName, reviewStatusName } from '../wording';
import { CaptureTable, PageLink, SeverityBadge, StatusBadge } from '../components/capture_table';

// One capture, its evidence opened for the signed-in user (the box records every
// opening in the audit log), and what to do about it.
export function CaptureDetailPage({
  id,
  user,
  onSessionEnded,
}: {
  id: number;
  user: User;
  onSessionEnded: () => void;
}) {
  const [capture, setCapture] = useState<CaptureDetail | null>(null);
  const { error, setError, done, setDone, busy, failed, act } = useAction(onSessionEnded);

  useEffect(() => {
    setCapture(null);
    setError(null);
    setDone(null);
    api.capture(id).then(setCapture, failed);
  }, [id]);

  async function mark(status: 'reviewed' | 'false_positive') {
    if (!capture) return;
    await act(
      async () => {
        const { review } = await api.reviewCapture(capture.id, status);
        setCapture({ ...capture, review, status: review.status });
      },
      status === 'reviewed' ? 'Marked as reviewed.' : 'Marked as a false alarm.',
    );
  }

  const title = capture ? `${categoryName(capture.category)} capture` : 'Capture';
  return (
    <section aria-labelledby="capture-heading" class="capture-detail">
      <p class="back">
        <PageLink href="/captures">← All captures</PageLink>
      </p>
      <PageHeading
        id="capture-heading"
        title={title}
        summary="What was seen, where and on which device. Opening this page is recorded in the audit log."
      />
      <ErrorSummary message={error} />
      <SuccessNote message={done} />
      {!capture && !error && (
        <p class="quiet" role="status">
          Opening the evidence…
        </p>
      )}
      {capture && (
        <div class="detail-grid">
          <div class="card detail-main">
            <h2>What was seen</h2>
            <p class="detail-badges">
              <SeverityBadge severity={capture.severity} />
              <StatusBadge status={capture.status} />
            </p>
            <blockquote class="evidence" aria-label="The observed text, with the matched phrase marked">
              {capture.context.cut_before && '…'}
              {capture.context.before}
              {capture.context.match !== null && <mark>{capture.context.match}</mark>}
              {capture.context.after}
              {capture.context.cut_after && '…'}
            </blockquote>
            <dl class="facts">
              <dt>Matched</dt>
              <dd>
                <span class="phrase">{capture.phrase}</span> ({categoryName(capture.category)})
              </dd>
              <dt>How it was seen</dt>
              <dd>{observationKindName(capture.kind)}</dd>
              <dt>When</dt>
              <dd>
                <time dateTime={capture.time}>{localTime(capture.time)}</time>
              </dd>
              <dt>Site</dt>
              <dd>{capture.host || '—'}</dd>
              {capture.url && (
                <>
                  <dt>Address</dt>
                  <dd class="url">{capture.url}</dd>
                </>
              )}
            </dl>
          </div>

          <div class="card">
            <h2>Device</h2>
            <dl class="facts">
              <dt>IP address</dt>
              <dd class="mono">{capture.device.ip}</dd>
              <dt>MAC address</dt>
              <dd class="mono">{capture.device.mac ?? 'Not seen'}</dd>
              {capture.device.name && (
                <>
                  <dt>Network name</dt>
                  <dd>{capture.device.name}</dd>
                </>
              )}
              {can(user, 'see_people') && (
                <>
                  <dt>Who had it then</dt>
                  <dd>
                    {capture.person ? capture.person.name : 'Not assigned to anyone at that time'}
                    {capture.person?.groups && capture.person.groups.length > 0 && (
                      <span class="quiet"> ({capture.person.groups.join(', ')})</span>
                    )}
                  </dd>
                </>
              )}
            </dl>
            {capture.packets > 0 ? (
              <p>
                <a class="button button-quiet" href={`/api/captures/${capture.id}/pcap`} download={`capture-${capture.id}.pcap`}>
                  Download the packets (pcap)
                </a>
                <span class="hint">For Wireshark. The download is recorded in the audit log.</span>
              </p>
            ) : (
              <p class="quiet">The packets of this capture were not kept (it was stored before the box kept them).</p>
            )}
          </div>

          <div class="card">
            <h2>Review</h2>
            <p>
              {capture.review.first_reviewed
                ? `First reviewed ${localTime(capture.review.first_reviewed)}.`
                : notReviewedWords(capture)}
              {capture.review.reviewed_by && ` Last marked "${reviewStatusName(capture.review.marked)}" by ${capture.review.reviewed_by}.`}
            </p>
            <div class="review-actions">
              <button type="button" class="button" disabled={busy} onClick={() => void mark('reviewed')}>
                Mark reviewed
              </button>
              <button type="button" class="button button-quiet" disabled={busy} onClick={() => void mark('false_positive')}>
                Mark as a false alarm
              </button>
            </div>
            {can(user, 'handle_incidents') && <IncidentLink capture={capture} />}
            {capture.review.marked === 'false_positive' && can(user, 'edit_library') && (
              <ExceptionOffer capture={capture} onError={failed} />
            )}
            {/* The incident link above names one; list them all when there are more. */}
            {capture.incidents.length > (can(user, 'handle_incidents') ? 1 : 0) && (
              <p>
                Part of{' '}
                {capture.incidents.map((incident, index) => (
                  <span key={incident.id}>
                    {index > 0 && ', '}
                    <PageLink href={`/incidents/${incident.id}`}>
                      incident {incident.id} ({incident.open ? 'open' : 'closed'})
                    </PageLink>
                  </span>
                ))}
                .
              </p>
            )}
          </div>

          <div class="card detail-wide">
            <h2>Earlier captures from this device</h2>
            {capture.earlier.length === 0 ? (
              <p class="quiet">None: this is the first capture from this device.</p>
            ) : (
              <CaptureTable captures={capture.earlier} caption="Earlier captures from this device, newest first" />
            )}
          </div>
        </div>
      )}
    </section>
  );
}

// Not marked reviewed: a capture in an incident is being followed up there, so the page
// says so rather than suggest that nothing has happened.
function notReviewedWords(capture: CaptureDetail): string {
  if (capture.incidents.length === 0) return 'Nobody has reviewed this capture yet.';
  const latest = Math.max(...capture.incidents.map((incident) => incident.id));
  return `Not marked reviewed here, but it is part of incident ${latest}, where it is followed up.`;
}

// The next step for a concern: an incident records how it is followed up. A capture
// already in one leads to it (the open one if there is one, else the latest), so the
// same concern is not recorded twice.
function IncidentLink({ capture }: { capture: CaptureDetail }) {
  const latestFirst = [...capture.incidents].sort((a, b) => b.id - a.id);
  const existing = latestFirst.find((incident) => incident.open) ?? latestFirst[0];
  if (existing) {
    return (
      <p class="incident-next">
        <PageLink class="button button-quiet" href={`/incidents/${existing.id}`}>
          Go to incident {existing.id}
        </PageLink>
        <span class="hint">
          {existing.open
            ? 'This capture is already part of an open incident: add notes and actions there.'
            : 'This capture is part of an incident that is now closed: its record is there.'}
        </span>
      </p>
    );
  }
  return (
    <p class="incident-next">
      <PageLink class="button" href={`/incidents/new?captures=${capture.id}`}>
        Open an incident
      </PageLink>
      <span class="hint">Needs following up? An incident records who acts, dated notes and what was done.</span>
    </p>
  );
}

// After a false alarm: one click adds an exception to the school's own words, so the
// same harmless text is not flagged again (the Library page's own route and checks).
function ExceptionOffer({ capture, onError }: { capture: CaptureDetail; onError: (failure: unknown) => void }) {
  const suggestion = (capture.context.match ?? capture.phrase).replace(/[^\p{L}\p{N}]+/gu, ' ').trim().toLowerCase();
  const [pattern, setPattern] = useState(suggestion);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function add() {
    setBusy(true);
    try {
      await request('POST', '/api/library/school', {
        category: capture.category,
        pattern: pattern.trim(),
        kind: 'exception',
        severity: 1,
        language: 'en',
        note: `false alarm on capture ${capture.id}`,
      });
      setAdded(`"${pattern.trim()}" will not be flagged again. You can remove it on the Library page.`);
    } catch (failure) {
      onError(failure);
    } finally {
      setBusy(false);
    }
  }

  if (added) return <SuccessNote message={added} />;
  return (
    <form
      class="exception-offer"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <h3>Stop this being flagged again?</h3>
      <div class="field">
        <label for="exception-pattern">Words that are harmless</label>
        <p id="exception-pattern-hint" class="hint">
          The box will ignore "{capture.phrase}" when it appears inside these words. Add the words around it that make
          it harmless, for example the name of a game or a book.
        </p>
        <input
          id="exception-pattern"
          type="text"
          value={pattern}
          aria-describedby="exception-pattern-hint"
          required
          onInput={(event) => setPattern((event.target as HTMLInputElement).value)}
        />
      </div>
      <button type="submit" class="button" disabled={busy || pattern.trim() === ''}>
        Add as an exception to the school's library
      </button>
    </form>
  );
}
