import { decideCredentialChangesAction } from '@/app/(console)/customers/actions';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { Table } from '@/components/ui/table';
import { TwoPersonDecision } from '@/components/ui/two-person-decision';
import type { StaffActor } from '@/lib/auth/actor';
import { getCredentialChanges, listCredentialChangeRequests } from '@/lib/customers/credential-changes';

const SHOWN = 20;
const tone = { PENDING_APPROVAL: 'warn', APPLIED: 'good', CANCELLED: 'neutral' } as const;

/** Credential changes imports asked for: pending ones first, each with what it changes and a decision. */
export async function CredentialChanges({ actor }: { actor: StaffActor }) {
  const requests = await listCredentialChangeRequests(actor);
  if (requests.length === 0)
    return (
      <p className="text-sm text-slate-600">
        None. An import that changes existing customers&apos; email or password hash asks for it here.
      </p>
    );
  const pending = requests.filter((r) => r.status === 'PENDING_APPROVAL');
  const details = await Promise.all(pending.map((r) => getCredentialChanges(actor, r.id)));
  return (
    <ul className="space-y-4">
      {requests.map((request) => {
        const detail = details.find((d) => d.id === request.id);
        return (
          <li
            key={request.id}
            className="space-y-2 rounded-md border border-slate-200 p-3 text-sm"
            aria-label={`Credential changes ${request.id}`}
          >
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={tone[request.status]}>{request.status.replace('_', ' ')}</Badge>
              <span>
                {request.customerCount.toLocaleString('en-US')} customers: {request.emailCount.toLocaleString('en-US')}{' '}
                email, {request.passwordCount.toLocaleString('en-US')} password hash
              </span>
            </div>
            <p className="text-slate-600">
              Requested by {request.requestedBy} <LocalTime iso={request.requestedAt.toISOString()} showUtc={false} /> —
              “{request.reason}”
              {request.decidedBy && (
                <>
                  {' '}
                  · {request.status === 'APPLIED' ? 'approved' : 'cancelled'} by {request.decidedBy}
                </>
              )}
              {request.status === 'APPLIED' && (
                <>
                  {' '}
                  · applied to {request.appliedCount}, {request.staleCount} left alone (changed since)
                </>
              )}
            </p>
            {detail && (
              <>
                <Table label="Requested changes" headers={['Line', 'Customer', 'Email', 'Password']}>
                  {detail.changes.slice(0, SHOWN).map((change) => (
                    <tr key={change.externalId}>
                      <td className="px-3 py-2 font-mono">{change.line}</td>
                      <td className="px-3 py-2 font-mono">{change.externalId}</td>
                      <td className="min-w-48 px-3 py-2 break-all">
                        {change.newEmail ? (
                          <>
                            {change.oldEmail} → <strong>{change.newEmail}</strong>
                          </>
                        ) : (
                          <span className="text-slate-500">unchanged</span>
                        )}
                      </td>
                      <td className="px-3 py-2">
                        {change.passwordHash ? (
                          <strong>new hash</strong>
                        ) : (
                          <span className="text-slate-500">unchanged</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </Table>
                {request.customerCount > SHOWN && (
                  <p className="text-xs text-slate-600">
                    and {(request.customerCount - SHOWN).toLocaleString('en-US')} more (GET
                    /api/v1/customers/credential-changes/{request.id}).
                  </p>
                )}
                <TwoPersonDecision
                  action={decideCredentialChangesAction.bind(null, request.id)}
                  name="the credential changes"
                  canApprove={request.requestedById !== actor.id}
                  confirmation={`Change the credentials of ${request.customerCount.toLocaleString('en-US')} customers and end their sessions?`}
                  note={
                    request.requestedById === actor.id
                      ? 'You requested these changes: a second person must approve them.'
                      : undefined
                  }
                />
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
