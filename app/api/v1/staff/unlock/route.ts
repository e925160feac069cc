import { json, readBody, staffRoute } from '@/lib/api/route';
import { unlockStaff } from '@/lib/staff';

/** ADMIN only. {email}: lifts a sign-in lock before it runs out. */
export const POST = staffRoute(async (request, actor) => json(await unlockStaff(actor, await readBody(request))));
