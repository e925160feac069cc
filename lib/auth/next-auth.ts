// next-auth configuration: email + password (argon2id) for staff, JWT sessions carrying the staff
// id. The role is re-read from the database on every request (lib/auth/session.ts), so a role
// change or a disabled account takes effect at once rather than when the JWT expires.
import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { config } from '@/lib/config';
import { authenticateStaff } from './login';

export function authOptions(): NextAuthOptions {
  return {
    secret: config().AUTH_SECRET,
    session: { strategy: 'jwt', maxAge: config().SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: '/signin', error: '/signin' },
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
    ],
    callbacks: {
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
