'use client';

import { type FormHTMLAttributes, useEffect, useRef, useTransition } from 'react';
import type { FormState } from '@/lib/form-state';

/**
 * The one way a console form submits to its server action (the dispatch of `useActionState`), so
 * every form follows one rule:
 * - the server checks (the form has `noValidate`: no browser bubbles in some forms and server
 *   messages in others), and its messages mark the fields (`aria-invalid`);
 * - a refused submission keeps everything typed and chosen (React resets a form posted through its
 *   `action` prop, selects included; this form posts through `onSubmit` instead);
 * - after a refusal, focus moves to the first invalid field, or to the error message when no
 *   field is to blame; after success the form is cleared only if `resetOnSuccess` (a note, a new
 *   account: the next one starts empty; a status select keeps what it now says).
 * The pressed button's name and value are sent, as a native submission would.
 */
export function ActionForm({
  action,
  state,
  resetOnSuccess = false,
  onSubmit,
  children,
  ...props
}: Omit<FormHTMLAttributes<HTMLFormElement>, 'action'> & {
  action: (form: FormData) => void;
  state: FormState<unknown>;
  resetOnSuccess?: boolean;
}) {
  const ref = useRef<HTMLFormElement>(null);
  const [, startTransition] = useTransition();
  useEffect(() => {
    const form = ref.current;
    if (!form || state.ok === undefined) return;
    if (state.ok === false) {
      const target =
        form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLElement>('[role="alert"]');
      target?.focus();
    } else if (resetOnSuccess) form.reset();
  }, [state, resetOnSuccess]);
  return (
    <form
      ref={ref}
      noValidate
      {...props}
      onSubmit={(event) => {
        onSubmit?.(event);
        if (event.defaultPrevented) return;
        event.preventDefault();
        const submitter = (event.nativeEvent as SubmitEvent).submitter;
        const data = new FormData(event.currentTarget, submitter);
        startTransition(() => action(data));
      }}
    >
      {children}
    </form>
  );
}
