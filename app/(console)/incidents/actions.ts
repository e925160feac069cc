'use server';

// Thin adapters from forms to lib/incidents: the domain functions check roles, validate, and
// write the timeline and audit; these only translate FormData and map errors to form state.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { staffAction } from '@/lib/actions';
import { type ExposureAnswer, markExposedAffected, searchExposure } from '@/lib/blast';
import type { FormState } from '@/lib/form-state';
import { addNote, declareIncident, recordMilestone, updateIncident } from '@/lib/incidents';
import { freezeMail } from '@/lib/mail/freeze';
import { markAffected } from '@/lib/resets';
import { RUNBOOK_FREEZE } from '@/lib/response';
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

/** The runbook's freeze: every stream but SECURITY (the reset mail), recorded on this incident. */
export async function freezeForIncidentAction(
  reference: string,
  _state: FormState,
  form: FormData,
): Promise<FormState> {
  return staffAction(async (actor) => {
    const { held } = await freezeMail(actor, {
      streams: RUNBOOK_FREEZE,
      reason: text(form, 'reason') ?? '',
      incident: reference,
    });
    revalidatePath(`/incidents/${reference}`);
    revalidatePath('/mail');
    return {
      ok: true,
      message: `Frozen: ${RUNBOOK_FREEZE.join(' and ')} mail; ${held.toLocaleString('en-US')} queued message(s) held.`,
    };
  });
}

/**
 * Marks the customers a pasted list names as affected: one identifier per line (a CSV's first
 * column), an external id or an email address. A header line names nobody and is counted as such.
 */
export async function markAffectedAction(reference: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const lines = String(form.get('identifiers') ?? '')
      .split(/\r?\n/)
      .map((line) =>
        line
          .split(',')[0]
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
    // Said by line number here: the schema's refusal would name an index in a list, not a line.
    const long = lines.findIndex((line) => line.length > 254);
    if (long >= 0)
      return {
        ok: false,
        message: `Line ${long + 1} is ${lines[long].length} characters long: an external id has at most 200, an email address at most 254.`,
        fields: { identifiers: `Line ${long + 1} is too long.` },
      };
    const named = lines.filter(Boolean);
    // A line with "@" is tried as an email address and, if it fits, as an external id too.
    const emails = named.filter((line) => line.includes('@'));
    const ids = named.filter((line) => !line.includes('@') || line.length <= 200);
    const { added, matched, unknown, unknownSample } = await markAffected(actor, reference, ids, emails);
    revalidatePath(`/incidents/${reference}`);
    return {
      ok: true,
      message: `${added.toLocaleString('en-US')} customer(s) newly marked affected; the list named ${matched.toLocaleString('en-US')} customer(s) in all${unknown > 0 ? `. ${unknown.toLocaleString('en-US')} line(s) named no customer${unknown > unknownSample.length ? ', among them' : ''}: ${unknownSample.join(', ')}` : ''}.`,
    };
  });
}

/** Marks the exposed customers affected, as counted by the figures' version the person confirmed. */
export async function markExposedAffectedAction(
  reference: string,
  _state: FormState,
  form: FormData,
): Promise<FormState> {
  return staffAction(async (actor) => {
    const { exposedCustomers, added } = await markExposedAffected(actor, reference, {
      version: Number(form.get('version')),
    });
    revalidatePath(`/incidents/${reference}`);
    return {
      ok: true,
      message: `${exposedCustomers.toLocaleString('en-US')} exposed customer(s) are marked affected (${added.toLocaleString('en-US')} newly).`,
    };
  });
}

/** Was this address exposed, and to whom: the answer for the blast-radius search. */
export async function searchExposureAction(
  reference: string,
  _state: FormState<ExposureAnswer>,
  form: FormData,
): Promise<FormState<ExposureAnswer>> {
  return staffAction(async (actor) => {
    const result = await searchExposure(actor, reference, String(form.get('address') ?? ''));
    return { ok: true, result };
  });
}
