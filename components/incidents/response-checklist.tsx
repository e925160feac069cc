// The war room's runbook: every step of the response with where it stands, and the next action
// for the signed-in person's role as a button. The first step not done is marked as the current one.
import Link from 'next/link';
import { NewNoticeButton } from '@/components/disclosures/new-notice-button';
import { RUNBOOK_FREEZE, type Step, type StepAction, type StepState } from '@/lib/response';
import { FreezeStep, ResumeResetMailStep } from './runbook-actions';

const marks: Record<StepState, { symbol: string; word: string; className: string }> = {
  done: { symbol: '✓', word: 'done', className: 'bg-emerald-600 text-white' },
  skipped: { symbol: '–', word: 'not needed', className: 'bg-slate-300 text-slate-800' },
  open: { symbol: '•', word: 'to do', className: 'bg-white text-slate-700 ring-2 ring-slate-400' },
  waiting: { symbol: '…', word: 'waiting', className: 'bg-amber-100 text-amber-900 ring-2 ring-amber-500' },
  blocked: { symbol: '!', word: 'blocked', className: 'bg-red-600 text-white' },
};

const linkClass =
  'inline-flex items-center justify-center rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-slate-700';

function Action({ action }: { action: StepAction }) {
  switch (action.kind) {
    case 'link':
      return action.href.startsWith('#') ? (
        <a href={action.href} className={linkClass}>
          {action.label}
        </a>
      ) : (
        <Link href={action.href} className={linkClass}>
          {action.label}
        </Link>
      );
    case 'freeze':
      return <FreezeStep reference={action.reference} streams={RUNBOOK_FREEZE} />;
    case 'resume-reset-mail':
      return <ResumeResetMailStep reference={action.reference} campaignId={action.campaignId} held={action.held} />;
    case 'draft-notice':
      return <NewNoticeButton reference={action.reference} label="Draft the notice" />;
  }
}

export function ResponseChecklist({ steps }: { steps: Step[] }) {
  const current = steps.find((s) => s.state !== 'done' && s.state !== 'skipped');
  const done = steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  return (
    <section
      id="checklist"
      aria-labelledby="checklist-title"
      className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="checklist-title" className="text-base font-semibold text-slate-800">
          Response checklist
        </h2>
        <p className="text-sm text-slate-600">
          {done} of {steps.length} done
        </p>
      </div>
      <ol className="space-y-2" aria-label="Response steps">
        {steps.map((step) => {
          const mark = marks[step.state];
          const isCurrent = step === current;
          return (
            <li
              key={step.id}
              data-step={step.id}
              data-state={step.state}
              aria-current={isCurrent ? 'step' : undefined}
              className={`flex min-w-0 gap-3 rounded-md p-2 ${isCurrent ? 'bg-sky-50 ring-1 ring-sky-300' : ''}`}
            >
              <span
                aria-hidden="true"
                className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-sm font-bold ${mark.className}`}
              >
                {mark.symbol}
              </span>
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  {step.title} <span className="sr-only">({mark.word})</span>
                  {isCurrent && <span className="ml-2 text-xs font-semibold uppercase text-sky-800">next</span>}
                </p>
                <p className="text-sm text-slate-600">{step.detail}</p>
                {step.action && step.state !== 'done' && (
                  <div className="mt-2">
                    <Action action={step.action} />
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
