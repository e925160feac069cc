'use client';

import { useActionState } from 'react';
import { createTokenAction, revokeTokenAction } from '@/app/(console)/profile/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';
import { RowAction } from '@/components/ui/row-action';
import { Table } from '@/components/ui/table';
import type { TokenRow } from '@/lib/auth/token-view';

/** A token for your own account, shown once. */
export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, {});
  return (
    <ActionForm resetOnSuccess action={action} state={state} aria-label="Create an API token" className="space-y-3">
      <FormStateMessage state={state} success="Token created" error="Token error" />
      {state.ok && state.result && (
        <p className="break-all rounded-md bg-slate-100 p-2 font-mono text-xs" data-testid="new-token">
          {state.result.token}
        </p>
      )}
      <TextField label="What will use it" name="name" required maxLength={120} />
      <TextField label="Expires after (days, default 90)" name="expiresInDays" inputMode="numeric" pattern="[0-9]*" />
      <SelectField label="It may" name="scope" defaultValue="">
        <option value="">Everything your role may do</option>
        <option value="credential-status:read">
          Only read customers’ credential status (for the exchange’s login service)
        </option>
        <option value="metrics:read">Only scrape metrics (for Prometheus)</option>
      </SelectField>
      <Button type="submit" disabled={pending}>
        Create token
      </Button>
    </ActionForm>
  );
}

function RevokeButton({ id, name }: { id: string; name: string }) {
  return (
    <RowAction
      action={revokeTokenAction}
      fields={{ id }}
      label="Revoke"
      accessibleName={`Revoke token ${name}`}
      confirm={`Revoke the token "${name}"? Whatever uses it stops working at once.`}
    />
  );
}

/** Tokens with owner, last use, expiry, and a revoke button while they work. */
export function TokenTable({ tokens, showOwner }: { tokens: TokenRow[]; showOwner?: boolean }) {
  if (tokens.length === 0) return <p className="text-sm text-slate-600">No API tokens.</p>;
  const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);
  return (
    <Table label="API tokens" headers={[...(showOwner ? ['Owner'] : []), 'Name', 'Token', 'Last used', 'Expires', '']}>
      {tokens.map((t) => (
        <tr key={t.id}>
          {showOwner && <td className="px-3 py-2">{t.owner}</td>}
          <td className="px-3 py-2">
            {t.name}
            {t.scope && (
              <span className="ml-2">
                <Badge tone="neutral">only {t.scope}</Badge>
              </span>
            )}
          </td>
          <td className="px-3 py-2 font-mono text-xs">{t.prefix}…</td>
          <td className="px-3 py-2">{when(t.lastUsedAt, 'never')}</td>
          <td className="px-3 py-2">{when(t.expiresAt, 'never')}</td>
          <td className="px-3 py-2">
            {t.active ? <RevokeButton id={t.id} name={t.name} /> : <Badge tone="bad">revoked or expired</Badge>}
          </td>
        </tr>
      ))}
    </Table>
  );
}
