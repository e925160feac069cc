import Link from 'next/link';
import { NavLinks } from '@/components/console/nav-links';
import { SignOutButton } from '@/components/console/sign-out-button';
import { NAVIGATION } from '@/config/navigation';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';

// Every console page renders per request for the signed-in user; nothing here is cached.
export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireStaff();
  const items = NAVIGATION.filter((item) => can(actor, item.permission)).map(({ href, label }) => ({ href, label }));
  return (
    <div className="min-h-screen">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3">
          <Link href="/" className="text-lg font-bold tracking-tight">
            Firebreak
          </Link>
          <NavLinks items={items} />
          <div className="ml-auto flex items-center gap-3" data-testid="signed-in-user">
            <Link
              href="/profile"
              className="text-sm text-slate-300 hover:text-white"
              title="Your account and two-factor sign-in"
            >
              {actor.name}{' '}
              <span className="rounded bg-white/15 px-1.5 py-0.5 text-xs font-semibold text-white">{actor.role}</span>
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-8">{children}</main>
    </div>
  );
}
