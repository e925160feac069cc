import { publicRoute, readBody } from '@/lib/api/route';
import { customerLogin } from '@/lib/customers/auth';
import { DomainError } from '@/lib/errors';
import { metrics } from '@/lib/metrics';

const OUTCOMES: Record<string, string> = {
  unauthenticated: 'wrong',
  password_reset_required: 'reset_required',
  too_many_attempts: 'paused',
};

/** Reference customer login: {email, password} → 200 {sessionToken} | 401 | 403 password_reset_required. */
export const POST = publicRoute('POST /customer/login', async (request) => {
  try {
    const session = await customerLogin(await readBody(request));
    metrics().customerLogins.inc({ outcome: 'ok' });
    return session;
  } catch (error) {
    if (error instanceof DomainError) metrics().customerLogins.inc({ outcome: OUTCOMES[error.code] ?? 'refused' });
    throw error;
  }
});
