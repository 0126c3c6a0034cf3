import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorSummary } from './field';
import { formatCount, systemApi, type CaptureCheck } from './system_api';
import './wizard.css';

const pollSeconds = 2;

// "Is the mirror port working?": what the box's capture has seen, asked again every two
// seconds. When nothing arrives, a drawing of how to plug the box in.
export function MirrorCheck({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [check, setCheck] = useState<CaptureCheck | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    async function poll() {
      try {
        const answer = await systemApi.capture(10);
        if (!stopped) {
          setCheck(answer);
          setError(null);
        }
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
        else if (!stopped) setError((failure as Error).message);
      }
    }
    void poll();
    const timer = window.setInterval(() => void poll(), pollSeconds * 1000);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, []);

  const receiving = check !== null && check.packets_recent > 0;
  const replayed = check !== null && check.mode === 'replay' && check.packets > 0;
  const nothing = check !== null && !receiving && !replayed;

  return (
    <div class="mirror-check">
      <ErrorSummary message={error} />
      {check === null && !error && (
        <p class="quiet" role="status">
          Looking at the mirror port…
        </p>
      )}
      {check && (
        <div class={`mirror-state ${receiving || replayed ? 'mirror-ok' : 'mirror-nothing'}`} role="status" aria-live="polite">
          <p class="mirror-verdict">
            {receiving
              ? 'Yes: traffic is arriving on the mirror port.'
              : replayed
                ? 'Test mode: the box read a recorded capture instead of the mirror port.'
                : 'Nothing is arriving on the mirror port yet.'}
          </p>
          <dl class="mirror-figures">
            <div>
              <dt>Packets in the last {check.window_seconds} seconds</dt>
              <dd>{formatCount(check.packets_recent)}</dd>
            </div>
            <div>
              <dt>Devices seen in the last {check.window_seconds} seconds</dt>
              <dd>{formatCount(check.devices_recent)}</dd>
            </div>
            <div>
              <dt>{check.mode === 'replay' ? 'Packets read from the recording' : 'Packets since the box started'}</dt>
              <dd>{formatCount(check.packets)}</dd>
            </div>
            <div>
              <dt>{check.mode === 'replay' ? 'Devices in the recording' : 'Devices since the box started'}</dt>
              <dd>{formatCount(check.devices)}</dd>
            </div>
          </dl>
          {check.mode === 'replay' && (
            <p class="hint">
              {check.finished ? 'The box has read all of' : 'The box is reading'} {check.source}. On the real box, this shows
              the school's traffic as it arrives.
            </p>
          )}
          {check.mode === 'none' && <p class="hint">This copy of the box is not capturing (it only shows the web pages).</p>}
        </div>
      )}
      <details class="plug-in-help" open={nothing}>
        <summary>How to plug the box in</summary>
        <PlugInDiagram />
      </details>
    </div>
  );
}

// How the box is plugged in: its mirror port to the switch's mirror (SPAN) port, its
// other port to an ordinary port of the school network. Inline SVG: no script, no
// outside file, so the page's CSP has nothing to allow.
export function PlugInDiagram() {
  return (
    <figure class="plug-in">
      <svg viewBox="0 0 640 260" role="img" aria-labelledby="plug-in-title plug-in-desc" class="plug-in-drawing">
        <title id="plug-in-title">How to plug the box into the school's switch</title>
        <desc id="plug-in-desc">
          The school's switch has a port set up as a mirror (or SPAN) port. A network cable goes from that port to the
          port marked MIRROR on the box. A second cable goes from the port marked LAN on the box to any ordinary port
          of the switch.
        </desc>
        <text x="580" y="20" font-size="13" text-anchor="middle" fill="#1d2730">
          mirror (SPAN) port
        </text>
        <rect x="20" y="30" width="600" height="70" rx="8" fill="#e8f1f2" stroke="#1f4e5f" stroke-width="2" />
        <text x="36" y="56" font-size="16" font-weight="700" fill="#1d2730">
          The school's network switch
        </text>
        {[0, 1, 2, 3, 4, 5, 6].map((i) => (
          <rect key={i} x={300 + i * 38} y="58" width="28" height="22" rx="3" fill="#fff" stroke="#4a5865" stroke-width="1.5" />
        ))}
        <rect x="566" y="58" width="28" height="22" rx="3" fill="#f2b705" stroke="#1d2730" stroke-width="2" />
        <path d="M352 80 C352 130 375 130 375 178" fill="none" stroke="#4a5865" stroke-width="4" stroke-dasharray="8 5" />
        <text x="340" y="145" font-size="13" text-anchor="end" fill="#1d2730">
          any ordinary port
        </text>
        <path d="M580 80 C580 140 425 120 425 178" fill="none" stroke="#b26b00" stroke-width="4" />
        <rect x="180" y="170" width="300" height="74" rx="8" fill="#ffffff" stroke="#1f4e5f" stroke-width="2" />
        <text x="196" y="226" font-size="16" font-weight="700" fill="#1d2730">
          hallmonitor box
        </text>
        <rect x="361" y="178" width="28" height="22" rx="3" fill="#fff" stroke="#4a5865" stroke-width="1.5" />
        <text x="375" y="218" font-size="12" text-anchor="middle" fill="#1d2730">
          LAN
        </text>
        <rect x="411" y="178" width="28" height="22" rx="3" fill="#f2b705" stroke="#1d2730" stroke-width="2" />
        <text x="425" y="218" font-size="12" text-anchor="middle" fill="#1d2730">
          MIRROR
        </text>
      </svg>
      <figcaption>
        <ol class="steps">
          <li>
            Ask whoever looks after the school's switch to set one port up as a <strong>mirror port</strong> (some
            switches call it a <strong>SPAN</strong> or <strong>monitor</strong> port) copying the internet connection's
            port.
          </li>
          <li>
            Plug a network cable from that mirror port into the box's port marked <strong>MIRROR</strong>.
          </li>
          <li>
            Plug the box's port marked <strong>LAN</strong> into any ordinary port, so you can reach this page.
          </li>
          <li>Open a web page on any computer in school; this check should show packets within a few seconds.</li>
        </ol>
      </figcaption>
    </figure>
  );
}
