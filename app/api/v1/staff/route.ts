import { json, readBody, staffRoute } from '@/lib/api/route';
import { createStaff, listStaff } from '@/lib/staff';

export const GET = staffRoute(async (_request, actor) => json({ staff: await listStaff(actor) }));

/** ADMIN only. Returns the generated password once when none was given. */
export const POST = staffRoute(async (request, actor) => {
  const { user, generatedPassword } = await createStaff(actor, await readBody(request));
  return json({ staff: user, ...(generatedPassword ? { password: generatedPassword } : {}) }, 201);
});
