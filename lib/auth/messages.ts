// What the sign-in form says for each next-auth error code (shared by server and client).
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: 'Wrong email or password.',
  AccountLocked: 'Too many failed attempts: this account is locked for a while. Try again later or ask an admin to help.',
};
export const signInMessage = (code: string) => SIGN_IN_ERRORS[code] ?? 'Sign-in failed. Try again.';
