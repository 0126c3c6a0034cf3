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

// Where a capture stands with staff (the captures list's status filter).
const reviewStatusNames: Record<string, string> = {
  new: 'Needs review',
  reviewed: 'Reviewed',
  false_positive: 'False alarm',
  incident: 'Part of an incident',
};

export function reviewStatusName(status: string): string {
  return reviewStatusNames[status] ?? status;
}

// How the box saw what it captured (the observation's kind).
const observationKindNames: Record<string, string> = {
  dns_query: 'Site looked up',
  tls_sni: 'Secure site opened',
  quic_sni: 'Secure site opened',
  http_host: 'Web site opened',
  http_url: 'Web address',
  http_search: 'Search',
  http_body: 'Text on a page or in a form',
  dhcp_lease: 'Device name',
};

export function observationKindName(kind: string): string {
  return observationKindNames[kind] ?? kind.replace(/_/g, ' ');
}

// What the box could and could not see into (dissect/visibility.h classes).
const visibilityNames: Record<string, string> = {
  plain_http: 'Unencrypted web pages (fully visible)',
  named_tls: 'Encrypted sites, name visible',
  named_quic: 'Encrypted sites (QUIC), name visible',
  dns: 'Site look-ups (DNS)',
  dhcp: 'Devices joining the network',
  ech: 'Hidden site names (Encrypted Client Hello)',
  doh: 'Encrypted look-ups (DNS over HTTPS)',
  dot: 'Encrypted look-ups (DNS over TLS)',
  vpn: 'VPN or tunnel (nothing visible)',
  quic_unknown: 'Encrypted (QUIC), name not readable',
  tls_no_sni: 'Encrypted, no site name',
  other: 'Other traffic',
};

export function visibilityName(visibility: string): string {
  return visibilityNames[visibility] ?? visibility.replace(/_/g, ' ');
}

export function bytesName(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
