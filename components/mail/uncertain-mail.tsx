import { LocalTime } from '@/components/ui/local-time';
import { Table } from '@/components/ui/table';
import type { StaffActor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { listHeld } from '@/lib/mail/outbox';
import { HeldMessageButtons, ReconcileForm } from './uncertain-actions';

/**
 * Messages a lost worker was sending when it died (the outcome is unknown: they may have been
 * delivered). Each can be released or cancelled on its own, or all reconciled against the relay's log.
 */
export async function UncertainMail({ actor }: { actor: StaffActor }) {
  const { total, messages } = await listHeld(actor, { holdReason: 'OUTCOME_UNKNOWN' });
  if (total === 0) return null;
  const canRelease = can(actor, 'mail.release');
  return (
    <section className="rounded-lg border border-amber-400 bg-white p-5 shadow-sm" aria-label="Uncertain mail">
      <h2 className="text-lg font-bold">Uncertain: {total.toLocaleString()} message(s)</h2>
      <p className="mt-1 text-sm text-slate-700">
        A worker was lost while these were in an SMTP transaction: each may or may not have been delivered. Sending one
        again may send it twice; cancelling it may leave a customer without their reset link. The relay&apos;s log
        settles it: every message it lists as accepted is marked sent.
      </p>
      {canRelease && <ReconcileForm />}
      <div className="mt-3">
        <Table label="Uncertain messages" headers={['To', 'Subject', 'Queued', 'Message-ID', '']}>
          {messages.map((m) => (
            <tr key={m.id} className="align-top">
              <td className="min-w-44 px-3 py-2 break-all">{m.to}</td>
              <td className="px-3 py-2">{m.subject}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                <LocalTime iso={m.queuedAt.toISOString()} showUtc={false} />
              </td>
              <td className="min-w-40 px-3 py-2 font-mono text-xs break-all">{m.messageId}</td>
              <td className="px-3 py-2">{canRelease && <HeldMessageButtons id={m.id} to={m.to} />}</td>
            </tr>
          ))}
        </Table>
      </div>
      {total > messages.length && (
        <p className="mt-2 text-xs text-slate-600">
          Showing the newest {messages.length}; GET /api/v1/mail/held?holdReason=OUTCOME_UNKNOWN lists them.
        </p>
      )}
    </section>
  );
}
