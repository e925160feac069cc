import { LocalTime } from '@/components/ui/local-time';
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
      <div className="mt-3 overflow-x-auto">
        <table className="min-w-full text-sm" aria-label="Uncertain messages">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="pr-3">To</th>
              <th className="pr-3">Subject</th>
              <th className="pr-3">Queued</th>
              <th className="pr-3">Message-ID</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id} className="border-t border-slate-100 align-top">
                <td className="pr-3 break-all">{m.to}</td>
                <td className="pr-3">{m.subject}</td>
                <td className="pr-3 whitespace-nowrap">
                  <LocalTime iso={m.queuedAt.toISOString()} showUtc={false} />
                </td>
                <td className="pr-3 font-mono text-xs break-all">{m.messageId}</td>
                <td>{canRelease && <HeldMessageButtons id={m.id} to={m.to} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > messages.length && (
        <p className="mt-2 text-xs text-slate-600">
          Showing the newest {messages.length}; GET /api/v1/mail/held?holdReason=OUTCOME_UNKNOWN lists them.
        </p>
      )}
    </section>
  );
}
