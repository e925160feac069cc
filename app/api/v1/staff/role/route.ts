import { json, readBody, staffRoute } from '@/lib/api/route';
import { changeStaffRole } from '@/lib/staff';

/** ADMIN only. {email, role, reason}: applies to the account's sessions and tokens at once. */
export const POST = staffRoute(async (request, actor) => json(await changeStaffRole(actor, await readBody(request))));
