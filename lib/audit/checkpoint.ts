// Anchoring the audit chain outside the database. The hash chain proves that nothing changed
// *relative to the head*; whoever owns the database can still edit an event and recompute every
// later hash and the head. A checkpoint is an Ed25519 signature over (seq, hash, time) of a
// verified head, made with a key the database does not hold (a file on the worker's host). Kept
// outside the database — `firebreak audit checkpoint` exports one, the worker also appends each to
// AUDIT_CHECKPOINT_FILE — it lets `firebreak audit verify --checkpoint FILE` detect any rewrite or
// truncation of events up to its seq. Events after the newest checkpoint are covered only by the
// chain; the worker signs one every run of the verify job (5 minutes).
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';

export const CHECKPOINT_PURPOSE = 'firebreak-audit-checkpoint';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in hex');
export const checkpointSchema = z.strictObject({
  purpose: z.literal(CHECKPOINT_PURPOSE),
  seq: z.string().regex(/^[1-9][0-9]{0,18}$/, 'a positive event number'),
  hash: hex64,
  at: z.iso.datetime(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.base64(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The bytes that are signed: canonical JSON (RFC 8785) of everything but the signature. */
function signedBytes(checkpoint: Omit<Checkpoint, 'signature'>) {
  const { purpose, seq, hash, at, keyId } = checkpoint;
  return Buffer.from(canonicalize({ purpose, seq, hash, at, keyId })!);
}

/** First 16 hex digits of SHA-256 over the public key (SPKI DER): names the key in each checkpoint. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signCheckpoint(
  head: { seq: bigint | string; hash: string },
  key: KeyObject,
  at = new Date(),
): Checkpoint {
  const unsigned = {
    purpose: CHECKPOINT_PURPOSE,
    seq: head.seq.toString(),
    hash: head.hash,
    at: at.toISOString(),
    keyId: keyIdOf(key),
  } as const;
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), key).toString('base64') };
}

/** Whether `checkpoint` was signed by `publicKey` (and names it). */
export function checkpointSignedBy(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return false;
  return verify(null, signedBytes(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
}

/** Checkpoints from a file: one JSON object, a JSON array, or JSON Lines (the worker's file). */
export function parseCheckpoints(text: string): Checkpoint[] {
  const trimmed = text.trim();
  if (!trimmed) throw new Error('the checkpoint file is empty');
  let values: unknown[];
  if (trimmed.startsWith('[')) {
    values = JSON.parse(trimmed);
  } else {
    try {
      values = [JSON.parse(trimmed)];
    } catch {
      values = trimmed
        .split('\n')
        .filter((line) => line.trim())
        .map((line, i) => {
          try {
            return JSON.parse(line);
          } catch {
            throw new Error(`line ${i + 1} of the checkpoint file is not JSON`);
          }
        });
    }
  }
  return values.map((value, i) => {
    const parsed = checkpointSchema.safeParse(value);
    if (!parsed.success)
      throw new Error(`checkpoint ${i + 1} is malformed: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    return parsed.data;
  });
}
