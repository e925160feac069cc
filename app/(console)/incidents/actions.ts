'use server';

// Thin adapters from forms to lib/incidents: the domain functions check roles, validate, and
// write the timeline and audit; these only translate FormData and map errors to form state.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { staffAction } from '@/lib/actions';
import type { FormState } from '@/lib/form-state';
import { addNote, declareIncident, recordMilestone, updateIncident } from '@/lib/incidents';
import { localInputToIso } from '@/lib/time';

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

export async function declareIncidentAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const incident = await declareIncident(actor, {
      title: text(form, 'title') as string,
      kind: text(form, 'kind') as never,
      severity: text(form, 'severity') as never,
      summary: text(form, 'summary') as string,
      detectedAt: localInputToIso(form.get('detectedAt'), form.get('timezone')),
    });
    revalidatePath('/incidents');
    revalidatePath('/overview');
    redirect(`/incidents/${incident.reference}`); // not a domain error: staffAction lets it through
  });
}

export async function updateIncidentAction(reference: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await updateIncident(actor, reference, {
      status: text(form, 'status') as never,
      severity: text(form, 'severity') as never,
      reason: text(form, 'reason'),
    });
    revalidatePath(`/incidents/${reference}`);
    return { ok: true, message: 'Incident updated.' };
  });
}

export async function addNoteAction(reference: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await addNote(actor, reference, { message: text(form, 'message') ?? '' });
    revalidatePath(`/incidents/${reference}`);
    return { ok: true, message: 'Note added.' };
  });
}

export async function recordMilestoneAction(reference: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await recordMilestone(actor, reference, {
      kind: text(form, 'kind') as never,
      report: text(form, 'report'),
      occurredAt: localInputToIso(form.get('occurredAt'), form.get('timezone')),
      note: text(form, 'note'),
    });
    revalidatePath(`/incidents/${reference}`);
    return { ok: true, message: 'Milestone recorded.' };
  });
}
