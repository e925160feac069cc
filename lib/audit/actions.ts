// Every action the audit log can record: one closed set, so a typo or a new action nobody named is
// a type error, and readers of the log (the Audit page's filter, integrators) have the full list.
// Add a new action here, in its domain's group.
export const AUDIT_ACTIONS = [
  // incidents (each also on the incident's timeline)
  'incident.declared',
  'incident.status_changed',
  'incident.reopened',
  'incident.severity_changed',
  'incident.summary_changed',
  'incident.commander_changed',
  'incident.note_added',
  'incident.milestone_recorded',
  'incident.affected_marked',
  'incident.mail_log_imported',
  'incident.exposure_exported',
  // mandatory resets
  'disclosure.created',
  'disclosure.revised',
  'disclosure.submitted',
  'disclosure.approved',
  'disclosure.published',
  'disclosure.mailed',
  // official channels and the public status page
  'channel.added',
  'channel.status_changed',
  'reset.requested',
  'reset.approved',
  'reset.cancelled',
  'reset.chunk_done',
  'reset.completed',
  'reset.link_issued',
  // outbound mail
  'mail.frozen',
  'mail.unfrozen',
  'mail.held_released',
  'mail.held_cancelled',
  'mail.reconciled',
  'mail.recovered',
  'mail.retallied',
  'mail.recipient_guard_refused',
  // customers
  'customers.imported',
  'customers.credential_change_requested',
  'customers.credential_changes_cancelled',
  'customers.credentials_changed',
  'customer.password_reset',
  // staff and their credentials
  'staff.created',
  'staff.signed_in',
  'staff.sign_in_failed',
  'staff.locked_out',
  'staff.unlocked',
  'staff.password_set',
  'staff.password_reset',
  'staff.password_changed',
  'staff.role_changed',
  'staff.disabled',
  'staff.enabled',
  'staff.totp_enrolment_started',
  'staff.totp_enabled',
  'staff.totp_disabled',
  'staff.totp_reset',
  'token.created',
  'token.revoked',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
