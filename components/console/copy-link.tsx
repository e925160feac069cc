'use client';

import { useState } from 'react';

/** Copies the absolute link to a page (to send to the person who must act on it). */
export function CopyLink({ href, label = 'Copy link' }: { href: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded px-1.5 py-0.5 text-xs font-medium underline decoration-dotted hover:bg-black/5"
      onClick={async () => {
        await navigator.clipboard?.writeText(new URL(href, window.location.href).toString()).catch(() => undefined);
        setCopied(true);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}
