// What happened to a message the dispatcher tried to send, and how it is written: the retry policy
// (a pure function, tested alone in outcomes.test.ts) and the one batched UPDATE that records a
// chunk's outcomes in the chunk's transaction.
import 'server-only';
import type pg from 'pg';

export type Outcome = {
  id: string;
  status: 'SENT' | 'QUEUED' | 'FAILED';
  response: string | null;
  error: string | null;
  delaySeconds: number | null;
};

export type SmtpError = { responseCode?: number; code?: string; message: string };

export type RetryPolicy = { maxAttempts: number; retryBaseMs: number };

/**
 * A failed attempt: FAILED for good on a permanent SMTP answer (5xx) or the last attempt; else
 * QUEUED again after an exponential delay (retryBaseMs doubling, at most 15 minutes, ±20 % jitter).
 */
export function failure(
  row: { id: string; attempts: number },
  err: SmtpError,
  policy: RetryPolicy,
  random = Math.random,
): Outcome {
  const attempts = row.attempts + 1;
  const permanent = (err.responseCode !== undefined && err.responseCode >= 500) || attempts >= policy.maxAttempts;
  const reason = `${err.responseCode ?? err.code ?? 'error'}: ${err.message}`.slice(0, 1000);
  if (permanent)
    return {
      id: row.id,
      status: 'FAILED',
      response: null,
      error: `after ${attempts} attempt(s): ${reason}`,
      delaySeconds: null,
    };
  const delay = Math.min(policy.retryBaseMs * 2 ** (attempts - 1), 15 * 60_000) * (0.8 + random() * 0.4);
  return { id: row.id, status: 'QUEUED', response: null, error: reason, delaySeconds: delay / 1000 };
}

/**
 * Writes outcomes of messages claimed under `token`, in the caller's transaction. A row no longer
 * claimed by that token (recovered meanwhile) is left alone. Returns how many became SENT.
 */
export async function writeOutcomes(
  client: { query: pg.ClientBase['query'] },
  token: string,
  outcomes: Outcome[],
): Promise<number> {
  const { rows } = await client.query<{ sent: number }>(
    `WITH written AS (
     UPDATE "MailMessage" m SET status = r.status::"MailStatus",
            "sentAt" = CASE WHEN r.status = 'SENT' THEN now() ELSE m."sentAt" END,
            "smtpResponse" = COALESCE(r.response, m."smtpResponse"),
            attempts = m.attempts + 1, "lastError" = r.error, "claimToken" = NULL,
            "nextAttemptAt" = CASE WHEN r.delay IS NULL THEN m."nextAttemptAt" ELSE now() + make_interval(secs => r.delay) END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS r(id, status, response, error, delay)
      WHERE m.id = r.id AND m."claimToken" = $6
      RETURNING m.status)
     SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent FROM written`,
    [
      outcomes.map((o) => o.id),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.response),
      outcomes.map((o) => o.error),
      outcomes.map((o) => o.delaySeconds),
      token,
    ],
  );
  return rows[0].sent;
}
