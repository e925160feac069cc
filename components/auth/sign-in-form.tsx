'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage, TextField } from '@/components/ui/field';
import { signInMessage } from '@/lib/auth/messages';
import { safeCallbackPath } from '@/lib/auth/redirect';

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(params.get('error') ? signInMessage(params.get('error')!) : null);
  const [pending, setPending] = useState(false);
  // Required once the server says the account has two-factor sign-in (the password was right);
  // offered after any other failure, because password + code together open a paused account.
  const [codeField, setCodeField] = useState<'none' | 'optional' | 'required'>('none');

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: form.get('email'),
      password: form.get('password'),
      code: form.get('code') ?? '',
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      setCodeField(result?.error === 'TotpRequired' || result?.error === 'TotpInvalid' ? 'required' : 'optional');
      setError(signInMessage(result?.error ?? ''));
      return;
    }
    // Only paths of our own origin: an open redirect on a sign-in page is a phishing tool.
    router.replace(safeCallbackPath(params.get('callbackUrl'), window.location.origin));
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {error && (
        <FormMessage tone="error" name="Sign-in error">
          {error}
        </FormMessage>
      )}
      <TextField label="Email" name="email" type="email" autoComplete="username" required autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      {codeField === 'required' && (
        <TextField
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          required
          autoFocus
          key="code"
        />
      )}
      {codeField === 'optional' && (
        <TextField
          label="Authentication code (only if you use two-factor sign-in)"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          key="code-optional"
        />
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
