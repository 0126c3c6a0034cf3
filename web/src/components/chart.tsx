// Small charts drawn as plain SVG: no chart library, no inline script or style
// attribute that the CSP would refuse. Each chart carries its figures as text too,
// so a screen reader (and anyone printing the page) reads the numbers, not a picture.

export interface Bar {
  label: string;
  value: number;
  tone?: string; // a CSS class suffix: severity-5, seen, unseen …
  text?: string; // the figure as shown, when not the plain number ("3.2 MB")
}

// Horizontal bars, one per row, scaled to the largest value: labels left, figures right.
export function BarList({ bars, label, empty = 'None.' }: { bars: Bar[]; label: string; empty?: string }) {
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  if (bars.length === 0) return <p class="quiet">{empty}</p>;
  return (
    <ul class="bar-list" aria-label={label}>
      {bars.map((bar) => (
        <li key={bar.label}>
          <span class="bar-label">{bar.label}</span>
          <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class={`bar-fill bar-${bar.tone ?? 'plain'}`} x="0" y="0" height="10" width={(bar.value / largest) * 100} />
          </svg>
          <span class="bar-value">{bar.text ?? bar.value.toLocaleString('en-GB')}</span>
        </li>
      ))}
    </ul>
  );
}

// Vertical columns over time (packets per minute), with the figures in its label.
export function Columns({ values, label }: { values: { label: string; value: number }[]; label: string }) {
  const largest = Math.max(1, ...values.map((value) => value.value));
  const width = 100 / Math.max(1, values.length);
  const summary = `${label}: ${values.map((value) => `${value.label} ${value.value.toLocaleString('en-GB')}`).join(', ')}`;
  return (
    <svg class="columns" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label={summary}>
      {values.map((value, index) => {
        const height = value.value === 0 ? 0.6 : Math.max(2, (value.value / largest) * 30);
        return (
          <rect
            key={value.label}
            class={value.value === 0 ? 'column-none' : 'column'}
            x={index * width + width * 0.12}
            y={30 - height}
            width={width * 0.76}
            height={height}
          />
        );
      })}
    </svg>
  );
}
