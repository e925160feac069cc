import { readBody, staffRoute } from '@/lib/api/route';
import { changeStaffRole } from '@/lib/staff';

/** ADMIN only. {email, role, reason}: applies to the account's sessions and tokens at once. */
export const POST = staffRoute('POST /staff/role', async (request, actor) =>
  changeStaffRole(actor, await readBody(request)),
);
