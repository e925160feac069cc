import { readBody, staffRoute } from '@/lib/api/route';
import { enableStaff } from '@/lib/staff';

/** ADMIN only. {email, reason}: a disabled account may sign in again (its old tokens stay revoked). */
export const POST = staffRoute('POST /staff/enable', async (request, actor) =>
  enableStaff(actor, await readBody(request)),
);
