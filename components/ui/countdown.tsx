'use client';

import { useEffect, useState } from 'react';
import { formatDuration } from '@/lib/time';

/** Time left until `dueIso`, ticking every second; "overdue by …" once past. */
export function Countdown({ dueIso }: { dueIso: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (now === null) return <span>…</span>;
  const left = new Date(dueIso).getTime() - now;
  return left >= 0 ? (
    <span>{formatDuration(left)} left</span>
  ) : (
    <span className="font-semibold text-red-700">overdue by {formatDuration(left)}</span>
  );
}
