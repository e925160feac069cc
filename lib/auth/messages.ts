// What the sign-in form says for each next-auth error code (shared by server and client).
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin:
    'Wrong email or password. After repeated failures an account pauses for a while: with two-factor sign-in, enter your code below with your password to sign in anyway, or ask an admin to unlock it.',
  TotpRequired: 'Enter the 6-digit code from your authenticator app.',
  TotpInvalid: 'That code is not valid. Codes change every 30 seconds and each one works once.',
  // Single sign-on (lib/auth/sso.ts ssoErrorCode, and next-auth's own codes for the OAuth flow)
  SsoNoRole:
    'Your company account has no Firebreak role: ask your identity team to add you to one of the Firebreak groups.',
  SsoDisabled: 'This Firebreak account is disabled. Ask a Firebreak admin.',
  SsoEmailInUse:
    'A Firebreak account already uses your email address, so single sign-on cannot take it over. Ask a Firebreak admin.',
  SsoEmailUnverified: 'Your identity provider has not verified your email address.',
  SsoInvalidClaims: 'Your identity provider did not send a subject and an email address.',
  SsoNotConfigured: 'Single sign-on is not set up here.',
  SsoUnavailable: 'Single sign-on could not be completed just now. Try again, or sign in with a password.',
  OAuthSignin: 'The identity provider could not be reached. Try again, or sign in with a password.',
  OAuthCallback: 'The identity provider’s answer could not be verified. Try again, or sign in with a password.',
  AccessDenied: 'Sign-in was refused.',
};
export const signInMessage = (code: string) => SIGN_IN_ERRORS[code] ?? 'Sign-in failed. Try again.';
