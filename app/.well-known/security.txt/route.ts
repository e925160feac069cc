// RFC 9116 security.txt: how to reach our security team, and — pinned where a hijacked social
// account cannot change it — where our notice-signing keys and the notice verifier are.
import { config, publicUrl } from '@/lib/config';

export const dynamic = 'force-dynamic';

/** Expires (required) is kept a little under a year ahead, as RFC 9116 recommends, on the day's boundary. */
const EXPIRES_DAYS = 180;

export function GET() {
  const base = publicUrl() ?? '';
  const contact = config().FIREBREAK_CONTACT;
  const expires = new Date(Date.now() + EXPIRES_DAYS * 86_400_000);
  expires.setUTCHours(0, 0, 0, 0);
  const body = [
    `# ${config().FIREBREAK_EXCHANGE_NAME}: security contact and notice verification`,
    `Contact: ${/^(https?:|mailto:|tel:)/i.test(contact) ? contact : `mailto:${contact}`}`,
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    ...(base ? [`Canonical: ${base}/.well-known/security.txt`] : []),
    'Preferred-Languages: en',
    '# Our incident notices and channel statements are signed with Ed25519 (JWKS):',
    `Notice-Signing-Keys: ${base}/.well-known/firebreak-notice-keys.json`,
    `# Check that a message is ours: ${base}/status/verify`,
    `# Status page: ${base}/status`,
    '',
  ].join('\n');
  return new Response(body, {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
}
