import { readText, staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { reconcileUncertain } from '@/lib/mail/outbox';

/** Up to 50 MB of relay log, as text. */
const MAX_LOG_BYTES = 50 * 1024 * 1024;

/**
 * The body is the relay's log of accepted messages (or a list of Message-IDs), as text. Uncertain
 * held messages it lists become SENT; `?releaseUnlisted=true` queues the others again.
 * `?campaignId=` limits it to one reset's mail.
 */
export const POST = staffRoute('POST /mail/held/reconcile', async (request, actor, _params, query) => {
  assertCan(actor, 'mail.release');
  const log = await readText(request, MAX_LOG_BYTES);
  return reconcileUncertain(actor, {
    log,
    releaseUnlisted: query.releaseUnlisted === 'true',
    ...(query.campaignId ? { campaignId: query.campaignId } : {}),
  });
});
