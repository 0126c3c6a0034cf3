import type { ComponentChildren } from 'preact';
import type { Capture } from '../api';
import { navigate } from '../navigation';
import { categoryName, localTime, observationKindName, reviewStatusName, severityName } from '../wording';

// Pieces the captures list, a capture's page and the dashboard share.

export function SeverityBadge({ severity }: { severity: number }) {
  return (
    <span class={`severity severity-${severity}`}>
      <span class="severity-level" aria-hidden="true">
        {severity}
      </span>
      {severityName(severity)}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{reviewStatusName(status)}</span>;
}

// A link that moves within the app (no page load), still a real link for the keyboard,
// a new tab and screen readers.
export function PageLink({ href, children, class: className }: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={href}
      class={className}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

// Ticking captures (the list, to open one incident from several): which are ticked
// and what a tick does.
export interface CaptureChoice {
  chosen: number[];
  onToggle: (id: number, ticked: boolean) => void;
}

export function CaptureTable({
  captures,
  caption = 'Captures, newest first',
  choice,
}: {
  captures: Capture[];
  caption?: string;
  choice?: CaptureChoice;
}) {
  return (
    <div class="table-wrap">
      <table class={choice ? 'captures captures-choosable' : 'captures'}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {choice && (
              <th scope="col" class="choose-column">
                <span class="visually-hidden">Ticked</span>
              </th>
            )}
            <th scope="col">Time</th>
            <th scope="col">Device</th>
            <th scope="col">Category</th>
            <th scope="col">Severity</th>
            <th scope="col">Phrase</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {captures.map((capture) => (
            <tr key={capture.id} class={choice?.chosen.includes(capture.id) ? 'chosen' : undefined}>
              {choice && (
                <td data-label="Tick" class="choose-column">
                  <label class="choose">
                    <input
                      type="checkbox"
                      checked={choice.chosen.includes(capture.id)}
                      onChange={(event) => choice.onToggle(capture.id, (event.target as HTMLInputElement).checked)}
                    />
                    <span class="visually-hidden">
                      Tick the capture of {localTime(capture.time)} ({capture.phrase})
                    </span>
                  </label>
                </td>
              )}
              <td data-label="Time">
                <PageLink href={`/captures/${capture.id}`}>
                  <time dateTime={capture.time}>{localTime(capture.time)}</time>
                  <span class="visually-hidden"> — open this capture</span>
                </PageLink>
              </td>
              <td data-label="Device">
                <span class="device">
                  <span class="device-ip">{capture.device.ip}</span>
                  {capture.device.mac && <span class="device-mac">{capture.device.mac}</span>}
                </span>
              </td>
              <td data-label="Category">{categoryName(capture.category)}</td>
              <td data-label="Severity">
                <SeverityBadge severity={capture.severity} />
              </td>
              <td data-label="Phrase">
                <span class="phrase">{capture.phrase}</span>
                <span class="kind">{observationKindName(capture.kind)}</span>
              </td>
              <td data-label="Status">
                <StatusBadge status={capture.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
