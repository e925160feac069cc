import Link from 'next/link';
import { ApprovalsBanner } from '@/components/console/approvals-banner';
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
      <a
        href="#main"
        className="sr-only rounded bg-white px-3 py-2 text-sm font-semibold text-slate-900 focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50"
      >
        Skip to content
      </a>
      <header className="on-dark bg-slate-900 text-white">
        {/* Phones: the name and the account on one row, the navigation (scrolling inside itself) on the next. */}
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2 lg:flex-nowrap lg:py-3">
          <Link href="/" className="text-lg font-bold tracking-tight">
            Firebreak
          </Link>
          <div className="order-last w-full min-w-0 lg:order-none lg:w-auto">
            <NavLinks items={items} />
          </div>
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
      <ApprovalsBanner actor={actor} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 outline-none lg:py-8">
        {children}
      </main>
    </div>
  );
}
