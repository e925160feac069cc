'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage, TextField } from '@/components/ui/field';
import { signInMessage } from '@/lib/auth/messages';
import { safeCallbackPath } from '@/lib/auth/redirect';

/** `sso`: the company's identity provider's name when single sign-on is set up (lib/auth/sso.ts). */
export function SignInForm({ sso = null }: { sso?: string | null }) {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(params.get('error') ? signInMessage(params.get('error')!) : null);
  const [pending, setPending] = useState(false);
  // Required once the server says the account has two-factor sign-in (the password was right);
  // offered after any other failure, because password + code together open a paused account.
  const [codeField, setCodeField] = useState<'none' | 'optional' | 'required'>('none');
  // Empty fields are named before anything is sent (they are not a wrong password); after any
  // refusal focus goes to the first marked field, or to the message.
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (attempt === 0) return;
    const form = formRef.current;
    (
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[role="alert"]')
    )?.focus();
  }, [attempt]);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const empty = {
      email: String(form.get('email') ?? '').trim() ? undefined : 'Enter your email address.',
      password: form.get('password') ? undefined : 'Enter your password.',
    };
    setMissing(empty);
    if (empty.email || empty.password) {
      setError(null);
      setAttempt((n) => n + 1);
      return;
    }
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
      setAttempt((n) => n + 1);
      return;
    }
    // Only paths of our own origin: an open redirect on a sign-in page is a phishing tool.
    router.replace(safeCallbackPath(params.get('callbackUrl'), window.location.origin));
    router.refresh();
  }

  async function signInWithSso() {
    setPending(true);
    setError(null);
    // next-auth takes the browser to the provider and back; only our own paths come after.
    await signIn('sso', { callbackUrl: safeCallbackPath(params.get('callbackUrl'), window.location.origin) });
  }

  return (
    <form ref={formRef} onSubmit={submit} className="space-y-4" noValidate>
      {error && (
        <FormMessage tone="error" name="Sign-in error">
          {error}
        </FormMessage>
      )}
      {sso && (
        <>
          <Button type="button" className="w-full" disabled={pending} onClick={signInWithSso}>
            Continue with {sso}
          </Button>
          <p className="text-center text-xs text-slate-500">or with a Firebreak account (break-glass)</p>
        </>
      )}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        maxLength={254}
        error={missing.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={256}
        error={missing.password}
      />
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
      <Button type="submit" className="w-full" variant={sso ? 'secondary' : 'primary'} disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
