// How the box's identifiers read to a headteacher.

const categoryNames: Record<string, string> = {
  child_sexual_exploitation: 'Child sexual exploitation',
  cse: 'Child sexual exploitation',
  self_harm: 'Self-harm',
  'self-harm': 'Self-harm',
};

export function categoryName(id: string): string {
  const known = categoryNames[id];
  if (known) return known;
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Severity 1–5 from the library: words as well as colour, never colour alone.
const severityNames = ['', 'Low', 'Guarded', 'Elevated', 'High', 'Critical'];

export function severityName(severity: number): string {
  return severityNames[severity] ?? `Level ${severity}`;
}

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}
