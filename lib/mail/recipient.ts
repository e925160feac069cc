// The single-recipient rule (DESIGN invariant 1), as one pure check used twice: when a message
// is enqueued, and again at the SMTP layer just before the envelope is built.
import addressparser from 'nodemailer/lib/addressparser';

/** A bare address: one local part, one domain, nothing that could smuggle a second recipient. */
const BARE_ADDRESS = /^[^\s@,;<>()"'\\[\]:]+@[^\s@,;<>()"'\\[\]:]+\.[^\s@,;<>()"'\\[\]:]+$/;

export type RecipientCheck = { ok: true; address: string } | { ok: false; reason: string };

export function checkSingleRecipient(to: unknown): RecipientCheck {
  if (typeof to !== 'string' || to.trim() === '') return { ok: false, reason: 'no recipient' };
  // Parse as an SMTP client would: a list, a group or a display name all count as what they are.
  const parsed = addressparser(to, { flatten: true }).filter((a) => a.address);
  if (parsed.length !== 1)
    return { ok: false, reason: `${parsed.length} recipients in "${to.slice(0, 200)}"; exactly one is allowed` };
  if (parsed[0].address !== to.trim() || !BARE_ADDRESS.test(to.trim())) {
    return { ok: false, reason: `"${to.slice(0, 200)}" is not a single bare address` };
  }
  return { ok: true, address: to.trim().toLowerCase() };
}
