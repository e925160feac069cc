import { json, readBody, staffRoute } from '@/lib/api/route';
import { createApiToken, listApiTokens } from '@/lib/auth/tokens';

/** Your own tokens (?all=true: everyone's, ADMIN only); never the secret. */
export const GET = staffRoute(async (request, actor) =>
  json({ tokens: await listApiTokens(actor, { all: new URL(request.url).searchParams.get('all') === 'true' }) }),
);

/** A token for your own account, in a signed-in session. The token is in this response and nowhere else. */
export const POST = staffRoute(async (request, actor) =>
  json(await createApiToken(actor, await readBody(request)), 201),
);
