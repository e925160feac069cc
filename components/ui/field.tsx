'use client';

import { type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react';

const controlClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-slate-500 aria-invalid:border-red-600 aria-invalid:ring-1 aria-invalid:ring-red-600';
const labelClass = 'block text-sm font-medium text-slate-700';

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <span id={id} className="mt-1 block text-xs text-red-700">
      {error}
    </span>
  ) : null;
}

type Wiring = {
  id: string;
  className: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

/** A label, a control and the control's error, wired together once (id, aria-invalid, aria-describedby). */
function Labelled({
  label,
  error,
  control,
}: {
  label: string;
  error?: string;
  control: (wiring: Wiring) => React.ReactNode;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {control({
        id,
        className: controlClass,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error ? `${id}-error` : undefined,
      })}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

type Labels = { label: string; error?: string };

export function TextField({ label, error, ...props }: InputHTMLAttributes<HTMLInputElement> & Labels) {
  return <Labelled label={label} error={error} control={(wiring) => <input {...props} {...wiring} />} />;
}

export function SelectField({ label, error, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & Labels) {
  return (
    <Labelled
      label={label}
      error={error}
      control={(wiring) => (
        <select {...props} {...wiring}>
          {children}
        </select>
      )}
    />
  );
}

export function TextArea({ label, error, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & Labels) {
  return <Labelled label={label} error={error} control={(wiring) => <textarea {...props} {...wiring} />} />;
}

/** A message a screen reader announces; named, so tests and people can tell it from others. */
export function FormMessage({
  tone,
  children,
  name,
}: {
  tone: 'error' | 'success';
  children: React.ReactNode;
  name: string;
}) {
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: ARIA 1.2 lets alert and status take an author name; it tells two live regions of one page apart
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      aria-label={name}
      // An error takes focus when no field is to blame (components/ui/action-form.tsx).
      tabIndex={tone === 'error' ? -1 : undefined}
      className={`rounded-md px-3 py-2 text-sm ${tone === 'error' ? 'bg-red-50 text-red-800 ring-1 ring-red-200' : 'bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200'}`}
    >
      {children}
    </div>
  );
}

/** The outcome of a form's last submission (its FormState), if it has one to say. */
export function FormStateMessage({
  state,
  success,
  error,
}: {
  state: { ok?: boolean; message?: string };
  success: string;
  error: string;
}) {
  if (!state.message) return null;
  return (
    <FormMessage tone={state.ok ? 'success' : 'error'} name={state.ok ? success : error}>
      {state.message}
    </FormMessage>
  );
}
