import { readBody, staffRoute } from '@/lib/api/route';
import { unlockStaff } from '@/lib/staff';

/** ADMIN only. {email}: lifts a sign-in lock before it runs out. */
export const POST = staffRoute('POST /staff/unlock', async (request, actor) =>
  unlockStaff(actor, await readBody(request)),
);
