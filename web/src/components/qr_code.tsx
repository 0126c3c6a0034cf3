import { create } from 'qrcode';

// A QR code of `text` drawn as SVG shapes (no script, no inline style: the CSP allows
// neither), for a phone's camera: dark squares on white with the quiet zone around it
// that scanners need. `label` is its text alternative.
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const modules = create(text, { errorCorrectionLevel: 'M' }).modules;
  const quiet = 4; // modules of white margin, as the QR standard asks
  const width = modules.size + 2 * quiet;
  let path = '';
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) {
      if (modules.get(row, column)) path += `M${column + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${width} ${width}`}
      shape-rendering="crispEdges"
    >
      <rect width={width} height={width} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
