import Link from 'next/link';
import type { StaffActor } from '@/lib/auth/actor';
import { awaitingApproval } from '@/lib/response/approvals';
import { CopyLink } from './copy-link';

/** On every console page, for whoever may decide: what waits for their approval, each with its link. */
export async function ApprovalsBanner({ actor }: { actor: StaffActor }) {
  const waiting = await awaitingApproval(actor);
  if (waiting.length === 0) return null;
  return (
    <section aria-label="Awaiting your approval" className="border-b border-amber-300 bg-amber-50 text-amber-950">
      <div className="mx-auto max-w-7xl px-4 py-2 text-sm">
        <h2 className="font-semibold">Awaiting your approval ({waiting.length})</h2>
        <ul className="mt-1 space-y-1">
          {waiting.map((item) => (
            <li key={item.id} className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <Link href={item.href} className="font-medium underline">
                {item.what}
              </Link>
              <CopyLink href={item.href} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
