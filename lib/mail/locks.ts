// Advisory lock keys of the mail streams. Each SMTP transaction and each enqueue holds its
// stream's key in shared mode for the length of its transaction; a freeze takes it exclusively,
// so it waits for every send in flight and no new send starts until the freeze is committed.
import type { Tx } from '@/lib/db';
import { STREAMS, type Stream } from './schema';

export const MAIL_LOCK = 0x4d41494c; // "MAIL"
export const streamLockKey = (stream: Stream) => STREAMS.indexOf(stream);

/**
 * Takes these streams' locks for the rest of the transaction, always in the same order, so that no
 * two holders of several can deadlock: exclusive for a freeze or unfreeze, shared for a release.
 */
export async function lockStreams(tx: Tx, streams: readonly Stream[], mode: 'exclusive' | 'shared') {
  for (const stream of STREAMS.filter((s) => streams.includes(s))) {
    if (mode === 'shared')
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}::int, ${streamLockKey(stream)}::int)`;
    else await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MAIL_LOCK}::int, ${streamLockKey(stream)}::int)`;
  }
}
