'use client';

import { useActionState, useTransition } from 'react';
import { beginTotpAction, confirmTotpAction, disableTotpAction } from '@/app/(console)/profile/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, TextField } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import type { TotpStatus } from '@/lib/auth/totp';

function CodeField({ error }: { error?: string }) {
  return (
    <TextField
      label="Code from your app"
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      required
      error={error}
    />
  );
}

export function TwoFactorPanel({ status }: { status: TotpStatus }) {
  const [began, begin, beginning] = useActionState(beginTotpAction, {});
  const [confirmed, confirm, confirming] = useActionState(confirmTotpAction, {});
  const [disabled, disable, disabling] = useActionState(disableTotpAction, {});
  const [, startTransition] = useTransition();

  if (status.enabled) {
    return (
      <div className="space-y-4">
        {confirmed.ok && (
          <FormMessage tone="success" name="Two-factor enabled">
            {confirmed.message}
          </FormMessage>
        )}
        <p className="text-sm">
          <strong>On</strong>
          {status.enabledAt && (
            <>
              {' '}
              since <LocalTime iso={status.enabledAt.toISOString()} />
            </>
          )}
          . Sign-in asks for a code from your authenticator app; each code works once.
        </p>
        <ActionForm action={disable} state={disabled} className="space-y-3" aria-label="Turn off two-factor sign-in">
          {disabled.ok === false && (
            <FormMessage tone="error" name="Two-factor error">
              {disabled.message}
            </FormMessage>
          )}
          <CodeField error={disabled.fields?.code} />
          <Button type="submit" variant="secondary" disabled={disabling}>
            {disabling ? 'Turning off…' : 'Turn off two-factor sign-in'}
          </Button>
        </ActionForm>
        <p className="text-xs text-slate-500">
          Lost your phone? An ADMIN can reset it on the Staff page, or run npx firebreak staff reset-totp --email you@….
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      {disabled.ok && (
        <FormMessage tone="success" name="Two-factor disabled">
          {disabled.message}
        </FormMessage>
      )}
      {began.ok === false && (
        <FormMessage tone="error" name="Two-factor error">
          {began.message}
        </FormMessage>
      )}
      {!status.pending ? (
        <>
          <p className="text-sm">
            <strong>Off.</strong> Your account is protected by its password only. Turn on two-factor sign-in with an
            authenticator app (any TOTP app: 1Password, Google Authenticator, Aegis, …).
          </p>
          <Button type="button" disabled={beginning} onClick={() => startTransition(begin)}>
            {beginning ? 'Preparing…' : 'Set up two-factor sign-in'}
          </Button>
        </>
      ) : (
        <ActionForm action={confirm} state={confirmed} className="space-y-3" aria-label="Confirm two-factor sign-in">
          <p className="text-sm">Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
          <div
            className="w-48 rounded border border-slate-200 bg-white p-2"
            role="img"
            aria-label="QR code of the two-factor secret"
            // biome-ignore lint/security/noDangerouslySetInnerHtml: an SVG the server drew (qrcode) from its own otpauth URL; nothing a user typed
            dangerouslySetInnerHTML={{ __html: status.pending.qrSvg }}
          />
          <p className="text-sm">
            Or type the key:{' '}
            <code className="select-all break-all font-mono font-semibold" data-testid="totp-secret">
              {status.pending.secret}
            </code>
          </p>
          {confirmed.ok === false && (
            <FormMessage tone="error" name="Two-factor error">
              {confirmed.message}
            </FormMessage>
          )}
          <CodeField error={confirmed.fields?.code} />
          <Button type="submit" disabled={confirming}>
            {confirming ? 'Checking…' : 'Turn on two-factor sign-in'}
          </Button>
        </ActionForm>
      )}
    </div>
  );
}
