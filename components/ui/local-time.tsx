'use client';

import { useEffect, useState } from 'react';
import { utcMinute } from '@/lib/time';

/** A time in UTC (rendered on the server) and, once in the browser, in the viewer's own zone. */
export function LocalTime({ iso, showUtc = true }: { iso: string; showUtc?: boolean }) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    setLocal(
      new Intl.DateTimeFormat(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
      }).format(new Date(iso)),
    );
  }, [iso]);
  return (
    <time dateTime={iso} title={utcMinute(iso)}>
      {local ?? utcMinute(iso)}
      {showUtc && local && <span className="ml-1 text-xs text-slate-600">({utcMinute(iso)})</span>}
    </time>
  );
}
