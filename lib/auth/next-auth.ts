// next-auth configuration: email + password (argon2id) for staff, and the company's OpenID Connect
// provider when OIDC_ISSUER is set (lib/auth/sso.ts); JWT sessions carrying the staff id and
// nothing of the provider's tokens. The role is re-read from the database on every request
// (lib/auth/session.ts), so a role change or a disabled account takes effect at once rather than
// when the JWT expires.
import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { config } from '@/lib/config';
import { logger } from '@/lib/log';
import { authenticateStaff } from './login';
import { SSO_PROVIDER_ID, signInWithSso, ssoErrorCode, ssoSettings } from './sso';

const log = logger('auth');

export function authOptions(): NextAuthOptions {
  const sso = ssoSettings();
  return {
    secret: config().AUTH_SECRET,
    session: { strategy: 'jwt', maxAge: config().SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: '/signin', error: '/signin' },
    // next-auth's own reports (a provider unreachable, a token that does not verify) go to the JSON
    // log, scrubbed like every line; its metadata may hold a provider's claims, so only the code
    // and the error's message are kept.
    logger: {
      error: (code, metadata) =>
        log.error(
          { code, err: metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error },
          'next-auth',
        ),
      warn: (code) => log.warn({ code }, 'next-auth'),
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
          code: { label: 'Authentication code', type: 'text' },
        },
        async authorize(credentials) {
          const result = await authenticateStaff(credentials);
          if (result.ok) return { id: result.actor.id, email: result.actor.email, name: result.actor.name };
          // A lock answers like a wrong password or an unknown email: it says nothing about which
          // accounts exist, and nothing an attacker could use (the audit log has the lockout).
          if (result.reason === 'totp_required') throw new Error('TotpRequired');
          if (result.reason === 'totp_invalid') throw new Error('TotpInvalid');
          return null;
        },
      }),
      ...(sso
        ? [
            {
              id: SSO_PROVIDER_ID,
              name: sso.displayName,
              type: 'oauth' as const,
              wellKnown: `${sso.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
              clientId: sso.clientId,
              clientSecret: sso.clientSecret,
              authorization: { params: { scope: sso.scopes } },
              // The ID token's claims, verified (signature, issuer, audience, nonce) by openid-client.
              idToken: true,
              checks: ['pkce' as const, 'state' as const, 'nonce' as const],
              profile: (claims: Record<string, unknown>) => ({
                id: String(claims.sub ?? ''),
                email: typeof claims.email === 'string' ? claims.email : null,
                name: typeof claims.name === 'string' ? claims.name : null,
              }),
            },
          ]
        : []),
    ],
    callbacks: {
      // A provider's sign-in becomes a staff account's (or a refusal the sign-in page explains);
      // the JWT's `sub` is then that account's id, as with a password.
      async signIn({ user, account, profile }) {
        if (account?.provider !== SSO_PROVIDER_ID) return true;
        let result: Awaited<ReturnType<typeof signInWithSso>>;
        try {
          result = await signInWithSso((profile ?? {}) as Record<string, unknown>);
        } catch (error) {
          // Not next-auth's default (the error's own message in the address bar): logged, and a
          // plain word to the person.
          log.error({ err: error }, 'single sign-on failed');
          return '/signin?error=SsoUnavailable';
        }
        if (!result.ok) return `/signin?error=${ssoErrorCode(result.reason)}`;
        user.id = result.actor.id;
        user.email = result.actor.email;
        user.name = result.actor.name;
        return true;
      },
      // When the person signed in, kept across the token's renewals (its `iat` moves with each):
      // an account's sessionsValidAfter refuses every session signed in before it.
      jwt({ token, user }) {
        if (user) token.signedInAt = Date.now();
        return token;
      },
      // The JWT's `sub` is the staff id; expose it and the sign-in time (nothing more) to the session.
      session({ session, token }) {
        return {
          ...session,
          user: {
            ...session.user,
            id: token.sub,
            signedInAt: typeof token.signedInAt === 'number' ? token.signedInAt : 0,
          },
        };
      },
    },
  };
}
