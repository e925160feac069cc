import type { HistogramBucket } from '@/lib/blast';
import { count } from '@/lib/numbers';

const label = ({ from, to }: HistogramBucket) => (from === to ? count(from) : `${count(from)}–${count(to)}`);

/**
 * Exposed addresses by how many other people saw them, one bar per bucket (1, 2–4, 5–9, …; the
 * scale of each bar is linear in addresses). An SVG drawn on the server; its numbers are in its
 * accessible name and in a table under it for anyone who would rather read.
 */
export function ExposureHistogram({ histogram }: { histogram: HistogramBucket[] }) {
  if (histogram.length === 0) return null;
  const most = Math.max(...histogram.map((b) => b.addresses));
  const bar = 28;
  const gap = 6;
  // Room for "10,000–19,999" at 12 px; the drawing is 340 wide, about a phone's card, so that its
  // text stays near 12 px there, and grows at most by a quarter on a wide screen.
  const labelWidth = 100;
  const width = 340;
  const height = histogram.length * (bar + gap);
  const summary = histogram.map((b) => `${count(b.addresses)} seen by ${label(b)}`).join('; ');
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium text-slate-700">
        Exposed addresses, by how many others saw each
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full max-w-[425px]"
        role="img"
        aria-label={`Exposed addresses by how many others saw each: ${summary}.`}
        data-testid="exposure-histogram"
      >
        {histogram.map((bucket, i) => {
          const y = i * (bar + gap);
          const length = Math.max(2, ((width - labelWidth - 80) * bucket.addresses) / most);
          return (
            <g key={bucket.from}>
              <text x={labelWidth - 8} y={y + bar / 2 + 4} textAnchor="end" className="fill-slate-600 text-[12px]">
                {label(bucket)}
              </text>
              <rect x={labelWidth} y={y} width={length} height={bar} rx={3} className="fill-rose-500" />
              <text
                x={labelWidth + length + 6}
                y={y + bar / 2 + 4}
                className="fill-slate-800 text-[12px] font-semibold"
              >
                {count(bucket.addresses)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="text-xs text-slate-600">
        Left: how many other recipients saw the address. Bars: how many addresses.
      </p>
    </figure>
  );
}
