import type { Metadata } from 'next';
import { ResetForm } from '@/components/account/reset-form';
import { resetLinkUsable } from '@/lib/customers/auth';

export const metadata: Metadata = { title: 'Set a new password', referrer: 'no-referrer', robots: { index: false } };
export const dynamic = 'force-dynamic';

/**
 * The customer's reset page (reference implementation of the exchange side). A link that cannot
 * be used is said at once; a usable one is checked again, atomically, on submit.
 */
export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const usable = await resetLinkUsable(decodeURIComponent(token));
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <div className="w-full max-w-md rounded-xl bg-white p-8 shadow-lg">
        <h1 className="text-2xl font-bold tracking-tight">Set a new password</h1>
        <p className="mb-6 mt-2 text-sm text-slate-600">
          After a security incident we reset every affected password. Choose a new one that you do not use anywhere
          else. We will never ask you for your password, 2FA codes, or to send funds anywhere.
        </p>
        {usable ? (
          <ResetForm token={token} />
        ) : (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            This reset link is not valid: it was already used, has expired, or was never issued. Sign in with your email
            address to be sent a new one.
          </p>
        )}
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
