import { publicRoute } from '@/lib/api/route';
import { CustomerUnauthenticated, checkCustomerSession } from '@/lib/customers/auth';

/** The exchange's session check: Authorization: Bearer <sessionToken> → 200 | 401 | 403 password_reset_required. */
export const GET = publicRoute('GET /customer/session', async (request) => {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!token) throw new CustomerUnauthenticated('Send the session token as Authorization: Bearer <token>.');
  return checkCustomerSession(token);
});
