import { readBody, staffRoute } from '@/lib/api/route';
import { disableStaff } from '@/lib/staff';

/** ADMIN only. {email, reason}: the account's sessions and tokens stop working at once. */
export const POST = staffRoute('POST /staff/disable', async (request, actor) =>
  disableStaff(actor, await readBody(request)),
);
