import { json, readBody, staffRoute } from '@/lib/api/route';
import { createApiToken } from '@/lib/auth/tokens';

/** ADMIN only. The token is in this response and nowhere else. */
export const POST = staffRoute(async (request, actor) => json(await createApiToken(actor, await readBody(request)), 201));
