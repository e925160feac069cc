'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => signOut({ callbackUrl: '/signin' })}
      className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-300 ring-1 ring-white/20 hover:bg-white/10 hover:text-white"
    >
      Sign out
    </button>
  );
}
