import { readBody, staffRoute } from '@/lib/api/route';
import { createApiToken, listApiTokens } from '@/lib/auth/tokens';

/** Your own tokens (?all=true: everyone's, ADMIN only); never the secret. */
export const GET = staffRoute('GET /tokens', async (_request, actor, _params, { all }) => ({
  tokens: await listApiTokens(actor, { all: all === 'true' }),
}));

/** A token for your own account, in a signed-in session. The token is in this response and nowhere else. */
export const POST = staffRoute('POST /tokens', async (request, actor) =>
  createApiToken(actor, await readBody(request)),
);
