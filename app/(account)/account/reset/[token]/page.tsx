import type { Metadata } from 'next';
import { ResetForm } from '@/components/account/reset-form';

export const metadata: Metadata = { title: 'Set a new password', referrer: 'no-referrer', robots: { index: false } };
export const dynamic = 'force-dynamic';

/** The customer's reset page (reference implementation of the exchange side). The token is checked on submit. */
export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <div className="w-full max-w-md rounded-xl bg-white p-8 shadow-lg">
        <h1 className="text-2xl font-bold tracking-tight">Set a new password</h1>
        <p className="mb-6 mt-2 text-sm text-slate-600">
          After a security incident we reset every affected password. Choose a new one that you do not use anywhere
          else. We will never ask you for your password, 2FA codes, or to send funds anywhere.
        </p>
        <ResetForm token={token} />
        <p className="mt-6 text-sm text-slate-600">
          What happened, and which of our channels are official (and which are not, right now):{' '}
          <a href="/status" className="text-sky-800 underline">
            our status page
          </a>
          .
        </p>
      </div>
    </main>
  );
}
