// The war room's Disclosure panel: the incident's notices, where each stands and what it still
// needs, and "New notice" for those who draft.
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import type { StaffActor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { listDisclosures } from '@/lib/disclosures';
import { NewNoticeButton } from './new-notice-button';
import { NoticeStatus } from './notice-status';

export async function DisclosurePanel({ actor, reference }: { actor: StaffActor; reference: string }) {
  const notices = await listDisclosures(actor, reference);
  return (
    <div className="space-y-3">
      {notices.length === 0 ? (
        <p className="text-sm text-slate-600">No notice yet: customers have not been told.</p>
      ) : (
        <ul className="space-y-2" aria-label="Notices">
          {notices.map((n) => (
            <li key={n.id} className="flex flex-wrap items-center gap-2 text-sm">
              <NoticeStatus status={n.status} />
              <Link href={`/disclosures/${n.id}`} className="font-medium text-sky-800 underline">
                {n.revisions[0]?.title ?? 'Notice'}
              </Link>
              <span className="text-slate-500">revision {n.latestRevision}</span>
              {n.publishedRevision && n.publishedRevision !== n.latestRevision && (
                <Badge tone="warn">revision {n.publishedRevision} is public</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
      {can(actor, 'disclosure.draft') && (
        <NewNoticeButton
          reference={reference}
          label={notices.length ? 'Another notice…' : 'New notice'}
          existing={notices.length}
        />
      )}
    </div>
  );
}
