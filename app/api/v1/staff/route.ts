import { json, readJson, staffRoute } from '@/lib/api/route';
import { createStaffInput } from '@/lib/auth/schema';
import { createStaff, listStaff } from '@/lib/staff';

export const GET = staffRoute(async (_request, actor) => json({ staff: await listStaff(actor) }));

/** ADMIN only. Returns the generated password once when none was given. */
export const POST = staffRoute(async (request, actor) => {
  const { user, generatedPassword } = await createStaff(actor, await readJson(request, createStaffInput));
  return json({ staff: user, ...(generatedPassword ? { password: generatedPassword } : {}) }, 201);
});
