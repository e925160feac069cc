// The hash chain of the audit log: pure functions shared by the writer and the verifier.
// hash = sha256(prevHash ‖ canonical JSON of the event's content), canonical JSON per RFC 8785.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

export type ChainedContent = {
  seq: bigint;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: unknown;
};

/** An event as stored: its chained content with seq as text (as SQL gives a bigint), and its links. */
export type StoredEvent = Omit<ChainedContent, 'seq'> & { seq: string; prevHash: string; hash: string };

export function hashEvent(prevHash: string, event: ChainedContent): string {
  const content = canonicalize({
    seq: event.seq.toString(),
    at: event.at.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    data: event.data ?? null,
  });
  return createHash('sha256').update(prevHash).update(content!).digest('hex');
}
