'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Re-renders the page's server components every `seconds` without a reload. */
export function AutoRefresh({ seconds = 5 }: { seconds?: number }) {
  const router = useRouter();
  const [updated, setUpdated] = useState<string | null>(null);
  useEffect(() => {
    setUpdated(new Date().toLocaleTimeString());
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') {
        router.refresh();
        setUpdated(new Date().toLocaleTimeString());
      }
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [router, seconds]);
  return (
    <p className="text-xs text-slate-500" aria-live="off">
      Live · refreshes every {seconds}s{updated && ` · updated ${updated}`}
    </p>
  );
}
