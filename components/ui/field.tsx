import type { InputHTMLAttributes, SelectHTMLAttributes } from 'react';

const control = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-slate-500';

export function TextField({ label, error, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  return (
    <label className="block text-sm font-medium text-slate-700">
      {label}
      <input {...props} className={control} aria-invalid={error ? true : undefined} />
      {error && <span className="mt-1 block text-xs text-red-700">{error}</span>}
    </label>
  );
}

export function SelectField({ label, error, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string }) {
  return (
    <label className="block text-sm font-medium text-slate-700">
      {label}
      <select {...props} className={control} aria-invalid={error ? true : undefined}>
        {children}
      </select>
      {error && <span className="mt-1 block text-xs text-red-700">{error}</span>}
    </label>
  );
}

/** A message a screen reader announces; named, so tests and people can tell it from others. */
export function FormMessage({ tone, children, name }: { tone: 'error' | 'success'; children: React.ReactNode; name: string }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      aria-label={name}
      className={`rounded-md px-3 py-2 text-sm ${tone === 'error' ? 'bg-red-50 text-red-800 ring-1 ring-red-200' : 'bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200'}`}
    >
      {children}
    </div>
  );
}
