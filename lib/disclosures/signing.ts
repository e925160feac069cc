// Signed notices (DESIGN invariant 7): each published revision is signed with Ed25519 over the
// canonical JSON (RFC 8785) of what was published, so anyone can check a notice they received
// against the public keys (/.well-known/firebreak-notice-keys.json, a JWKS) without trusting our
// server — a hijacked channel cannot forge one. The key: FIREBREAK_SIGNING_KEY (PEM, or a file);
// keys it replaced: FIREBREAK_SIGNING_PUBLIC_KEYS, so what they signed still verifies.
import 'server-only';
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { keyIdOf } from '@/lib/audit/checkpoint';
import { CHANNEL_STATUSES } from '@/lib/channels/schema';
import { config } from '@/lib/config';
import { NotConfigured } from '@/lib/errors';
import { PUBLIC_STATES } from './schema';

/** Names what the signature is for, so a signature made for something else never passes as a notice's. */
export const NOTICE_PURPOSE = 'firebreak-notice';

export const noticePayload = z.strictObject({
  purpose: z.literal(NOTICE_PURPOSE),
  notice: z.string(),
  incident: z.string(),
  revision: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  publishedAt: z.iso.datetime(),
  url: z.string(),
  /** Where the notice says the incident is (absent on notices published before it was part of them). */
  state: z.enum(PUBLIC_STATES).optional(),
});
export type NoticePayload = z.infer<typeof noticePayload>;

/** A notice as we hand it out: what was published, the Ed25519 signature (base64url) and the key's id. */
export const signedNotice = z.strictObject({
  notice: noticePayload,
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature in base64url'),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
});
export type SignedNotice = z.infer<typeof signedNotice>;

/** What a channel statement's signature is for. */
export const CHANNEL_PURPOSE = 'firebreak-channel';

/** A statement of an official channel's status, as signed: the public page's banner and channel list. */
export const channelPayload = z.strictObject({
  purpose: z.literal(CHANNEL_PURPOSE),
  channel: z.string(),
  name: z.string(),
  kind: z.string(),
  handle: z.string(),
  url: z.string().nullable(),
  status: z.enum(CHANNEL_STATUSES),
  /** Since when the channel has had this status. */
  since: z.iso.datetime(),
  note: z.string().nullable(),
  /** The status page that shows it. */
  page: z.string(),
});
export type ChannelPayload = z.infer<typeof channelPayload>;

export const signedChannelStatement = z.strictObject({
  channel: channelPayload,
  signature: signedNotice.shape.signature,
  kid: signedNotice.shape.kid,
});
export type SignedChannelStatement = z.infer<typeof signedChannelStatement>;

/** The bytes that are signed. */
export const canonicalPayload = (payload: NoticePayload | ChannelPayload) => canonicalize(payload)!;

const pemOf = (value: string) => (value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8'));

function ed25519(key: KeyObject, what: string) {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what} is not an Ed25519 key`);
  return key;
}

let ring: { signing: { key: KeyObject; kid: string } | null; verifying: Map<string, KeyObject> } | undefined;

/** The signing key (if configured) and every key a notice may be verified with, by id. */
function keyRing() {
  if (ring) return ring;
  const settings = config();
  const signing = settings.FIREBREAK_SIGNING_KEY
    ? ed25519(createPrivateKey(pemOf(settings.FIREBREAK_SIGNING_KEY)), 'FIREBREAK_SIGNING_KEY')
    : null;
  const verifying = new Map<string, KeyObject>();
  for (const file of settings.FIREBREAK_SIGNING_PUBLIC_KEYS) {
    const key = ed25519(createPublicKey(readFileSync(file, 'utf8')), file);
    verifying.set(keyIdOf(key), key);
  }
  if (signing) verifying.set(keyIdOf(signing), createPublicKey(signing));
  ring = { signing: signing && { key: signing, kid: keyIdOf(signing) }, verifying };
  return ring;
}

/** Ed25519 over the canonical JSON of a payload; refused (503) when no key is configured: nothing is published unsigned. */
function signCanonical(payload: object) {
  const { signing } = keyRing();
  if (!signing)
    throw new NotConfigured('Notices cannot be signed: set FIREBREAK_SIGNING_KEY (README, "Signed notices").');
  const signature = sign(null, Buffer.from(canonicalize(payload)!), signing.key).toString('base64url');
  return { signature, kid: signing.kid };
}

function validCanonical(payload: object, signature: string, kid: string) {
  const key = keyRing().verifying.get(kid);
  return Boolean(key && verify(null, Buffer.from(canonicalize(payload)!), key, Buffer.from(signature, 'base64url')));
}

/** Signs a notice. */
export function signNotice(payload: NoticePayload): SignedNotice {
  return { notice: payload, ...signCanonical(payload) };
}

/** Whether the signature is valid for the notice under one of our keys (not whether it was published: lib/disclosures does that). */
export const signatureValid = (signed: SignedNotice) => validCanonical(signed.notice, signed.signature, signed.kid);

/** Signs a statement of an official channel's status (the public banner "our X account is compromised"). */
export function signChannelStatement(payload: ChannelPayload): SignedChannelStatement {
  return { channel: payload, ...signCanonical(payload) };
}

export const channelSignatureValid = (signed: SignedChannelStatement) =>
  validCanonical(signed.channel, signed.signature, signed.kid);

/** The short fingerprint of the signing key that notice mail prints (null without a key). */
export const signingKeyId = () => keyRing().signing?.kid ?? null;

/** The public keys as a JSON Web Key Set (RFC 7517; Ed25519 as OKP, RFC 8037). */
export function noticeJwks() {
  return {
    keys: [...keyRing().verifying].map(([kid, key]) => ({
      ...(key.export({ format: 'jwk' }) as { kty: string; crv: string; x: string }),
      kid,
      use: 'sig',
      alg: 'EdDSA',
    })),
  };
}

/** A channel statement row as the signed JSON we hand out. */
export const asSignedChannelStatement = (row: {
  payload: string;
  signature: string;
  keyId: string;
}): SignedChannelStatement => ({
  channel: channelPayload.parse(JSON.parse(row.payload)),
  signature: row.signature,
  kid: row.keyId,
});

/** A published notice row as the signed JSON we hand out (and anyone can verify offline). */
export const asSignedNotice = (row: { payload: string; signature: string; keyId: string }): SignedNotice => ({
  notice: noticePayload.parse(JSON.parse(row.payload)),
  signature: row.signature,
  kid: row.keyId,
});
