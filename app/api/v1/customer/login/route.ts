import { publicRoute, readBody } from '@/lib/api/route';
import { customerLogin } from '@/lib/customers/auth';

/** Reference customer login: {email, password} → 200 {sessionToken} | 401 | 403 password_reset_required. */
export const POST = publicRoute('POST /customer/login', async (request) => customerLogin(await readBody(request)));
