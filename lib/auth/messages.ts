// What the sign-in form says for each next-auth error code (shared by server and client).
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: 'Wrong email or password.',
  TotpRequired: 'Enter the 6-digit code from your authenticator app.',
  TotpInvalid: 'That code is not valid. Codes change every 30 seconds and each one works once.',
  AccountLocked: 'Too many failed attempts: this account is locked for a while. Try again later or ask an admin to help.',
};
export const signInMessage = (code: string) => SIGN_IN_ERRORS[code] ?? 'Sign-in failed. Try again.';
