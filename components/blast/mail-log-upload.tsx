'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';
import type { MalformedLine } from '@/lib/blast/import';
import { count } from '@/lib/numbers';
import { MalformedLines } from './malformed-lines';

type Outcome = { tone: 'success' | 'error'; text: string; lines?: MalformedLine[] };

/**
 * Imports a mail log from a file. Not a server action (whose body is limited to 1 MB): the file is
 * streamed to POST /api/v1/incidents/:id/mail-logs, the same import the API and the CLI run, so a
 * log of a million messages goes up as it is read from disk.
 */
export function MailLogUpload({ reference }: { reference: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const message = useRef<HTMLDivElement>(null);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function upload(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setOutcome({ tone: 'error', text: 'Choose the log file first (.csv or .jsonl).' });
      input.current?.focus();
      return;
    }
    setPending(true);
    setOutcome(null);
    try {
      const response = await fetch(
        `/api/v1/incidents/${encodeURIComponent(reference)}/mail-logs?name=${encodeURIComponent(file.name)}`,
        {
          method: 'POST',
          // The server reads the format off the file's name (?name=), then off this type.
          headers: { 'content-type': file.type || 'application/octet-stream' },
          body: file,
        },
      );
      const body = await response.json().catch(() => ({ message: `The server answered ${response.status}.` }));
      if (!response.ok) {
        setOutcome({
          tone: 'error',
          text: body.message ?? `The server answered ${response.status}.`,
          lines: body.details?.malformedLines,
        });
      } else {
        setOutcome({
          tone: body.malformed ? 'error' : 'success',
          text: `${count(body.messages)} message(s) imported${body.duplicates ? `, ${count(body.duplicates)} already imported` : ''}${
            body.malformed
              ? `; ${count(body.malformed)} malformed line(s) were not: mend them and import the file again (the rest is not added twice)`
              : ''
          }.`,
          lines: body.malformedLines,
        });
        if (input.current) input.current.value = '';
        router.refresh();
      }
    } catch {
      setOutcome({
        tone: 'error',
        text: 'The upload did not reach the server. Check the connection and import again: nothing is added twice.',
      });
    } finally {
      setPending(false);
      requestAnimationFrame(() => message.current?.querySelector<HTMLElement>('[role]')?.focus());
    }
  }

  return (
    <form onSubmit={upload} noValidate className="space-y-2" aria-label="Import a mail log">
      <div ref={message}>
        {outcome && (
          <FormMessage
            tone={outcome.tone}
            name={outcome.tone === 'success' ? 'Mail log imported' : 'Mail log not fully imported'}
          >
            <p>{outcome.text}</p>
            {outcome.lines && outcome.lines.length > 0 && (
              <MalformedLines lines={outcome.lines} limit={10} className="mt-1 text-xs" />
            )}
          </FormMessage>
        )}
      </div>
      <label className="block text-sm font-medium text-slate-700" htmlFor={`mail-log-${reference}`}>
        The leaking tool's mail log: CSV with a header row, or JSON Lines; one record per sent message with messageId,
        time, from, to, cc, bcc
      </label>
      <input
        ref={input}
        id={`mail-log-${reference}`}
        type="file"
        name="log"
        accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
        className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-semibold"
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Importing… (a million messages take about a minute)' : 'Import mail log'}
      </Button>
    </form>
  );
}
