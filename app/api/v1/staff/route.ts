import { readBody, staffRoute } from '@/lib/api/route';
import { createStaff, listStaff } from '@/lib/staff';

export const GET = staffRoute('GET /staff', async (_request, actor) => ({ staff: await listStaff(actor) }));

/** ADMIN only. Returns the generated password once when none was given. */
export const POST = staffRoute('POST /staff', async (request, actor) => {
  const { user, generatedPassword } = await createStaff(actor, await readBody(request));
  return { staff: user, ...(generatedPassword ? { password: generatedPassword } : {}) };
});
