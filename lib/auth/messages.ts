// What the sign-in form says for each next-auth error code (shared by server and client).
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin:
    'Wrong email or password. After repeated failures an account pauses for a while: with two-factor sign-in, enter your code below with your password to sign in anyway, or ask an admin to unlock it.',
  TotpRequired: 'Enter the 6-digit code from your authenticator app.',
  TotpInvalid: 'That code is not valid. Codes change every 30 seconds and each one works once.',
};
export const signInMessage = (code: string) => SIGN_IN_ERRORS[code] ?? 'Sign-in failed. Try again.';
