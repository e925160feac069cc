import { json, readJson, staffRoute } from '@/lib/api/route';
import { createTokenInput } from '@/lib/auth/schema';
import { createApiToken } from '@/lib/auth/tokens';

/** ADMIN only. The token is in this response and nowhere else. */
export const POST = staffRoute(async (request, actor) => json(await createApiToken(actor, await readJson(request, createTokenInput)), 201));
