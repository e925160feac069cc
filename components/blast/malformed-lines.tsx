import type { MalformedLine } from '@/lib/blast/import';
import { count } from '@/lib/numbers';

/** The lines of a log that were not imported, by number, with why. */
export function MalformedLines({
  lines,
  limit,
  className = '',
}: {
  lines: MalformedLine[];
  limit: number;
  className?: string;
}) {
  return (
    <ul className={`list-disc pl-5 ${className}`}>
      {lines.slice(0, limit).map((l) => (
        <li key={l.line}>
          Line {count(l.line)}: {l.message}
        </li>
      ))}
    </ul>
  );
}
