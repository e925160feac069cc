'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';

/** Streams the chosen file to POST /api/v1/customers/import (no size limit, nothing held in memory). */
export function ImportForm() {
  const router = useRouter();
  const [state, setState] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, setPending] = useState(false);
  const [changesCredentials, setChangesCredentials] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = (data.get('file') as File | null) ?? null;
    const reason = String(data.get('reason') ?? '').trim();
    if (!file || file.size === 0) return setState({ ok: false, message: 'Choose a .csv or .jsonl file.' });
    const type = /\.(jsonl|ndjson)$/i.test(file.name)
      ? 'application/x-ndjson'
      : /\.csv$/i.test(file.name)
        ? 'text/csv'
        : '';
    if (!type) return setState({ ok: false, message: 'The file must end in .csv, .jsonl or .ndjson.' });
    if (changesCredentials && reason.length < 3)
      return setState({ ok: false, message: 'Say why these customers’ credentials change: the approver reads it.' });
    const url = changesCredentials
      ? `/api/v1/customers/import?${new URLSearchParams({ credentialChangeReason: reason })}`
      : '/api/v1/customers/import';
    setPending(true);
    setState(null);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: file });
      const body = await response.json();
      const waiting = body.credentialChanges
        ? ` Credential changes for ${body.credentialChanges.customers.toLocaleString()} customers wait for a second person's approval below.`
        : '';
      setState(
        response.ok
          ? {
              ok: true,
              message: `Imported ${body.rows.toLocaleString()} rows: ${body.created.toLocaleString()} new, ${body.updated.toLocaleString()} updated.${waiting}`,
            }
          : { ok: false, message: body.message ?? 'The import failed.' },
      );
      if (response.ok) router.refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Import customers">
      {state && (
        <FormMessage tone={state.ok ? 'success' : 'error'} name={state.ok ? 'Import done' : 'Import error'}>
          {state.message}
        </FormMessage>
      )}
      <label className="block text-sm font-medium text-slate-700">
        CSV (header row) or JSON Lines file
        <input type="file" name="file" accept=".csv,.jsonl,.ndjson" className="mt-1 block w-full text-sm" />
      </label>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          className="mt-1"
          checked={changesCredentials}
          onChange={(e) => setChangesCredentials(e.target.checked)}
        />
        <span>
          This file changes existing customers&apos; email or password hash (a second person approves those changes)
        </span>
      </label>
      {changesCredentials && (
        <label className="block text-sm font-medium text-slate-700">
          Why (the approver reads it; audited)
          <input
            name="reason"
            maxLength={500}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
        </label>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? 'Importing…' : 'Import'}
      </Button>
    </form>
  );
}
