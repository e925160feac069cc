// The database's enums as the lists validation and the UI use: taken from Prisma's generated
// constants (schema.prisma is the one source), never re-listed. Order is the schema's, which some
// uses depend on (a stream's advisory-lock key is its index in STREAMS).
import {
  CredentialChangeStatus,
  CustomerStatus,
  IncidentKind,
  IncidentStatus,
  MailHoldReason,
  MailStatus,
  MailStream,
  ResetScope,
  ResetStatus,
  Severity,
  StaffRole,
} from '@/lib/generated/prisma/enums';

const values = <T extends Record<string, string>>(e: T) => Object.values(e) as [T[keyof T], ...T[keyof T][]];

export const ROLES = values(StaffRole);
export const INCIDENT_KINDS = values(IncidentKind);
export const SEVERITIES = values(Severity);
export const INCIDENT_STATUSES = values(IncidentStatus);
export const STREAMS = values(MailStream);
export const MAIL_STATUSES = values(MailStatus);
export const MAIL_HOLD_REASONS = values(MailHoldReason);
export const CUSTOMER_STATUSES = values(CustomerStatus);
export const RESET_SCOPES = values(ResetScope);
export const RESET_STATUSES = values(ResetStatus);
export const CREDENTIAL_CHANGE_STATUSES = values(CredentialChangeStatus);
