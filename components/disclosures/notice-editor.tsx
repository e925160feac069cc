'use client';

import { useActionState, useState } from 'react';
import { reviseDisclosureAction } from '@/app/(console)/disclosures/actions';
import { NoticeMarkdown } from '@/components/notice/notice-markdown';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextArea, TextField } from '@/components/ui/field';
import { contentProblems, type GateContext } from '@/lib/disclosures/gate';

const STATES = [
  ['INVESTIGATING', 'Investigating'],
  ['IDENTIFIED', 'Cause identified'],
  ['MONITORING', 'Contained, monitoring'],
  ['RESOLVED', 'Resolved'],
] as const;

/** The notice's markdown beside a live preview rendered exactly as the public page renders it; saving makes a new revision. */
export function NoticeEditor({
  id,
  title,
  body,
  state: noticeState,
  canEdit,
  gate,
}: {
  id: string;
  title: string;
  body: string;
  state: string;
  canEdit: boolean;
  /** The notice gate's context, so what the draft still needs is listed as it is typed (the server checks again on submit). */
  gate: GateContext | null;
}) {
  const [state, action, pending] = useActionState(reviseDisclosureAction.bind(null, id), {});
  const [draft, setDraft] = useState({ title, body, state: noticeState });
  return (
    <ActionForm
      action={action}
      state={state}
      aria-label="Edit the notice"
      className="grid grid-cols-1 gap-4 lg:grid-cols-2"
    >
      <div className="space-y-3">
        <FormStateMessage state={state} success="Notice saved" error="Notice not saved" />
        <TextField
          label="Title"
          name="title"
          maxLength={200}
          required
          readOnly={!canEdit}
          value={draft.title}
          onChange={(event) => setDraft({ ...draft, title: event.target.value })}
        />
        <SelectField
          label="Public state of the incident (the status page shows it)"
          name="state"
          disabled={!canEdit}
          value={draft.state}
          onChange={(event) => setDraft({ ...draft, state: event.target.value })}
        >
          {STATES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextArea
          label="Notice (markdown)"
          name="body"
          rows={24}
          maxLength={50_000}
          required
          readOnly={!canEdit}
          value={draft.body}
          onChange={(event) => setDraft({ ...draft, body: event.target.value })}
        />
        {canEdit && gate && (
          <DraftProblems
            problems={contentProblems(draft, gate)}
            changed={draft.title !== title || draft.body !== body}
          />
        )}
        {canEdit && (
          <Button
            type="submit"
            disabled={pending || (draft.title === title && draft.body === body && draft.state === noticeState)}
          >
            {pending ? 'Saving…' : 'Save as a new revision'}
          </Button>
        )}
      </div>
      <section aria-label="Preview" className="rounded-md border border-slate-200 bg-slate-50 p-4">
        <p className="text-xs uppercase text-slate-500">Preview, as the public page shows it</p>
        <h2 className="mt-2 text-xl font-bold">{draft.title}</h2>
        <NoticeMarkdown body={draft.body} />
      </section>
    </ActionForm>
  );
}

/** What the text being typed still needs before it can be submitted, updated on every keystroke. */
function DraftProblems({ problems, changed }: { problems: string[]; changed: boolean }) {
  if (!changed) return null; // the saved revision's list is in "Next step"
  return problems.length === 0 ? (
    <p className="text-sm text-emerald-800">This draft has everything a notice needs: save it, then submit it.</p>
  ) : (
    <div>
      <p className="text-sm font-semibold text-red-800">This draft still needs:</p>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-red-800" aria-label="What the draft still needs">
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}
