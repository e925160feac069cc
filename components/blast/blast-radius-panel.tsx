import { LocalTime } from '@/components/ui/local-time';
import type { StaffActor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { blastRadius } from '@/lib/blast';
import { count } from '@/lib/numbers';
import { ExposureHistogram } from './exposure-histogram';
import { ExposureSearch } from './exposure-search';
import { MailLogUpload } from './mail-log-upload';
import { MalformedLines } from './malformed-lines';
import { MarkExposed } from './mark-exposed';

/** The war room's blast radius: figures, histogram, search, export, marking, and the logs imported. */
export async function BlastRadiusPanel({
  actor,
  reference,
  closed,
}: {
  actor: StaffActor;
  reference: string;
  closed: boolean;
}) {
  const { figures, logs } = await blastRadius(actor, reference);
  const canImport = can(actor, 'blast.import') && !closed;
  const canMark = can(actor, 'incident.update') && !closed;
  return (
    <div className="space-y-5">
      {!figures ? (
        <p className="text-sm text-slate-700">
          No mail log imported yet. If a mail tool showed recipients each other's addresses, import its log: Firebreak
          works out whose address was visible to whom, how many customers that is, and can make them the reset's and the
          notice's "affected customers".
        </p>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3" data-testid="exposure-figures">
            <Figure label="Exposed addresses" value={count(figures.exposedAddresses)} />
            <Figure label="of them customers" value={count(figures.exposedCustomers)} />
            <Figure label="not in the directory" value={count(figures.unmatchedAddresses)} />
            <Figure
              label="Messages that exposed someone"
              value={count(figures.exposingMessages)}
              note={`of ${count(figures.messages)} imported; ${count(figures.multiVisibleMessages)} with more than one visible recipient`}
            />
            <Figure label="Recipient entries (records)" value={count(figures.recipients)} />
            <Figure label="Malformed lines in the last import" value={count(figures.malformed)} />
          </dl>
          <ExposureHistogram histogram={figures.histogram} />
          <div className="flex flex-wrap items-center gap-3">
            {canMark &&
              (figures.markedVersion === figures.version ? (
                <p className="text-sm text-emerald-800" data-testid="exposed-marked">
                  All {count(figures.exposedCustomers)} exposed customers are marked affected.
                </p>
              ) : (
                <MarkExposed reference={reference} version={figures.version} customers={figures.exposedCustomers} />
              ))}
            <a
              href={`/api/v1/incidents/${encodeURIComponent(reference)}/exposure/export`}
              className="text-sm font-medium text-sky-800 underline"
            >
              Export the exposed set (CSV, for regulators)
            </a>
          </div>
          <ExposureSearch reference={reference} />
        </>
      )}
      {canImport && <MailLogUpload reference={reference} />}
      {logs.length > 0 && (
        <div>
          <h3 className="text-sm font-semibold text-slate-800">Logs imported</h3>
          <ul className="mt-2 space-y-2 text-sm">
            {logs.map((log) => (
              <li key={log.id} className="break-words">
                <span className="font-medium">{log.name}</span> ·{' '}
                <LocalTime iso={log.importedAt.toISOString()} showUtc={false} /> by {log.importedBy}:{' '}
                {count(log.messages)} message(s) added
                {log.duplicates > 0 && `, ${count(log.duplicates)} already imported`}
                {log.malformed > 0 && (
                  <details className="text-xs text-red-800">
                    <summary className="cursor-pointer">{count(log.malformed)} malformed line(s) not imported</summary>
                    <MalformedLines lines={log.malformedLines} limit={20} />
                  </details>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold">{value}</dd>
      {note && <dd className="text-xs text-slate-600">{note}</dd>}
    </div>
  );
}
