import { publicRoute, readBody } from '@/lib/api/route';
import { resetCustomerPassword } from '@/lib/customers/auth';

/** {token, newPassword}: single use; the policy is length ≥ 12 and not a common password. */
export const POST = publicRoute('POST /customer/reset', async (request) => {
  await resetCustomerPassword(await readBody(request));
  return { ok: true as const };
});
