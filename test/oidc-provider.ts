// A real OpenID Connect provider for the tests (`oidc-provider`, certified OpenID Provider code):
// discovery, signed ID tokens, PKCE, and its own login and consent pages, where any of the
// accounts below signs in with any password. Firebreak is registered as a confidential client.
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const OIDC_CLIENT = { id: 'firebreak-console', secret: 'oidc-test-client-secret-not-secret' };

/** Groups → roles as a company's identity team would set them up (OIDC_ROLE_MAP). */
export const OIDC_ROLE_MAP =
  'firebreak-admins=ADMIN,firebreak-security=SECURITY,firebreak-comms=COMMS,firebreak-execs=EXECUTIVE';

/** The people at the test provider: login name → claims. */
export const OIDC_ACCOUNTS: Record<string, { email: string; name: string; groups: string[] }> = {
  ada: { email: 'ada@idp.example', name: 'Ada SSO', groups: ['engineering', 'firebreak-security'] },
  grace: { email: 'grace@idp.example', name: 'Grace SSO', groups: ['firebreak-comms', 'firebreak-admins'] },
  mallory: { email: 'mallory@idp.example', name: 'Mallory SSO', groups: ['engineering'] },
  // Names a local account's address: single sign-on must not take that account over.
  squatter: { email: 'admin@firebreak.local', name: 'Squatter', groups: ['firebreak-admins'] },
};

export async function startOidcProvider({ port = 0, redirectUri }: { port?: number; redirectUri: string }) {
  // Listen first: the issuer is the address the provider is reached at.
  const { createServer } = await import('node:http');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // The claims go in the ID token itself, which is what Firebreak verifies and reads.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['oidc-test-cookie-key-not-secret'] },
    async findAccount(_ctx, id) {
      const account = OIDC_ACCOUNTS[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: true,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
