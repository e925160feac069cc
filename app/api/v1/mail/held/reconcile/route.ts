import { json, readText, staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { reconcileUncertain } from '@/lib/mail/outbox';

/** Up to 50 MB of relay log, as text. */
const MAX_LOG_BYTES = 50 * 1024 * 1024;

/**
 * The body is the relay's log of accepted messages (or a list of Message-IDs), as text. Uncertain
 * held messages it lists become SENT; `?releaseUnlisted=true` queues the others again.
 * `?campaignId=` limits it to one reset's mail.
 */
export const POST = staffRoute(async (request, actor) => {
  assertCan(actor, 'mail.release');
  const params = new URL(request.url).searchParams;
  const log = await readText(request, MAX_LOG_BYTES);
  return json(
    await reconcileUncertain(actor, {
      log,
      releaseUnlisted: params.get('releaseUnlisted') === 'true',
      ...(params.get('campaignId') ? { campaignId: params.get('campaignId')! } : {}),
    }),
  );
});
