import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { SignInForm } from '@/components/auth/sign-in-form';
import { actorFromSession } from '@/lib/auth/session';
import { ssoSettings } from '@/lib/auth/sso';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await actorFromSession()) redirect('/');
  const { passwordChanged } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-900 px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-xl">
        <h1 className="text-2xl font-bold tracking-tight">Firebreak</h1>
        <p className="mb-6 mt-1 text-sm text-slate-600">Incident response console. Staff only.</p>
        {passwordChanged === '1' && (
          <p
            role="status"
            aria-label="Password changed"
            className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200"
          >
            Your password was changed and every session ended. Sign in with the new password.
          </p>
        )}
        <Suspense>
          <SignInForm sso={ssoSettings()?.displayName ?? null} />
        </Suspense>
      </div>
    </main>
  );
}
