// Every /api/v1 operation, as data: what it reads, who may call it, and the view its answer passes
// through. A route file names its operation (`staffRoute('GET /incidents/{id}', …)`), so the
// handler is type-checked against the view, and the OpenAPI document (lib/api/openapi.ts) is made
// from this table: route and document cannot disagree. lib/api/openapi.test.ts calls every one
// and checks the table against the route files on disk.
import { z } from 'zod';
import type { Permission } from '@/lib/auth/policy';
import {
  accountChangeInput,
  createStaffInput,
  createTokenInput,
  roleChangeInput,
  unlockStaffInput,
} from '@/lib/auth/schema';
import { markExposedInput } from '@/lib/blast/schema';
import { addChannelInput, markChannelInput } from '@/lib/channels/schema';
import { customerLoginInput, customerResetInput } from '@/lib/customers/auth';
import { credentialStatusBatchInput } from '@/lib/customers/credential-status';
import {
  approveDisclosureInput,
  createDisclosureInput,
  publishDisclosureInput,
  reviseDisclosureInput,
} from '@/lib/disclosures/schema';
import { verifyNoticeInput } from '@/lib/disclosures/verify';
import { MAIL_HOLD_REASONS } from '@/lib/enums';
import { declareIncidentInput, milestoneInput, noteInput, updateIncidentInput } from '@/lib/incidents/schema';
import { freezeInput, heldFilter } from '@/lib/mail/schema';
import { markAffectedInput, requestResetInput } from '@/lib/resets/schema';
import { createWebhookInput } from '@/lib/webhooks/schema';
import * as v from './views';

export const TAGS = {
  Incidents: 'Declare and run an incident: clocks, milestones, timeline.',
  Resets: 'Mandatory password resets: request, second-person approval, progress.',
  'Blast radius': "Who saw whose address: a leaking tool's mail log imported, analysed, searched, exported.",
  Customers: 'The customer directory: imports and credential changes that wait for a second person.',
  Disclosures: 'Notices to customers: draft, revise, approve the exact revision, publish signed.',
  'Status page': 'The public status page: its JSON, and the official channels it lists.',
  Mail: 'The outbox: freeze, held mail, and settling uncertain sends.',
  Staff: 'Staff accounts (ADMIN).',
  Tokens: 'API tokens for automation.',
  Webhooks: "Signed events to the exchange's own systems (Standard Webhooks), their delivery log and replays (ADMIN).",
  Audit: 'The hash-chained audit log.',
  Service: 'Liveness and this document.',
  'Customer login': 'The reference customer login the exchange can call (or replace with its own).',
} as const;

export type Operation = {
  summary: string;
  description?: string;
  tag: keyof typeof TAGS;
  /**
   * `public`: no credentials. Else the permission (lib/auth/policy.ts) the caller's role needs,
   * with a session cookie or an API token: checked before the query or body is read, so a caller
   * without it gets 403, never a validation hint. The domain function checks it again.
   */
  permission: Permission | 'public';
  /** The JSON body, as documented: the domain function validates it again after checking the role. */
  body?: z.ZodType;
  /** A body that is not JSON (a file, a log), by content type. */
  rawBody?: { contentTypes: readonly string[]; description: string };
  /** Query parameters: parsed by the route wrapper before the handler sees them. */
  query?: z.ZodObject;
  status: 200 | 201;
  /** The success response's view. */
  response: z.ZodType;
  /** Other statuses answered with the same view (health's 503). */
  alsoStatus?: readonly 503[];
  /** The response is not one JSON document (the audit export): the handler builds it, each item through `response`. */
  raw?: { contentTypes: readonly string[]; description: string };
};

const op = <const O extends Operation>(operation: O) => operation;
const flag = z.enum(['true', 'false']).optional();

export const OPERATIONS = {
  // Service
  'GET /health': op({
    summary: 'Liveness: the database answers and a worker is alive',
    tag: 'Service',
    permission: 'public',
    status: 200,
    response: v.Health,
    alsoStatus: [503],
  }),
  'GET /openapi.json': op({
    summary: 'This document (OpenAPI 3.1)',
    tag: 'Service',
    permission: 'public',
    status: 200,
    response: z.record(z.string(), z.unknown()),
  }),
  'GET /metrics': op({
    summary: 'Prometheus metrics: outbox, freezes, resets, webhooks, workers, logins',
    description:
      'The Prometheus text format (also served at /metrics). Any staff token may scrape it; give Prometheus a token of scope `metrics:read`, which can do nothing else.',
    tag: 'Service',
    permission: 'metrics.read',
    status: 200,
    response: z.string(),
    raw: { contentTypes: ['text/plain'], description: 'The Prometheus exposition format, version 0.0.4.' },
  }),
  'GET /me': op({ summary: 'Who is calling', tag: 'Service', permission: 'console.read', status: 200, response: v.Me }),

  // Incidents
  'GET /incidents': op({
    summary: 'Incidents, newest first, with their nearest deadline',
    tag: 'Incidents',
    permission: 'console.read',
    query: z.object({ open: flag.meta({ description: '`true`: only incidents that are not CLOSED.' }) }),
    status: 200,
    response: z.object({ incidents: z.array(v.IncidentListItem) }),
  }),
  'POST /incidents': op({
    summary: 'Declare an incident',
    description: 'Records AWARE at detectedAt (default now) and starts the clocks of the configured regimes.',
    tag: 'Incidents',
    permission: 'incident.declare',
    body: declareIncidentInput,
    status: 201,
    response: z.object({ incident: v.Incident }),
  }),
  'GET /incidents/{id}': op({
    summary: 'An incident with its milestones, timeline and clocks',
    description: '`id` is the uuid or the reference (INC-2026-0001).',
    tag: 'Incidents',
    permission: 'console.read',
    status: 200,
    response: z.object({ incident: v.IncidentDetail }),
  }),
  'PATCH /incidents/{id}': op({
    summary: 'Change status, severity, summary, commander or the materiality time',
    tag: 'Incidents',
    permission: 'incident.update',
    body: updateIncidentInput,
    status: 200,
    response: z.object({ incident: v.Incident }),
  }),
  'POST /incidents/{id}/timeline': op({
    summary: 'Add a note to the timeline',
    tag: 'Incidents',
    permission: 'incident.note',
    body: noteInput,
    status: 201,
    response: z.object({ incident: z.string().meta({ description: 'The incident reference.' }) }),
  }),
  'POST /incidents/{id}/milestones': op({
    summary: 'Record a milestone (a REPORT_FILED names the clock it stops)',
    tag: 'Incidents',
    permission: 'incident.update',
    body: milestoneInput,
    status: 201,
    response: z.object({ milestone: v.Milestone }),
  }),
  'POST /incidents/{id}/affected': op({
    summary: 'Mark customers (by external id or email) as affected: the AFFECTED cohort',
    description:
      'Up to 100,000 ids and addresses per call; customers already marked, and identifiers that name no customer, are skipped. `matched` counts the customers the identifiers named, `added` those newly marked, `unknown` the distinct identifiers that named no customer.',
    tag: 'Incidents',
    permission: 'incident.update',
    body: markAffectedInput,
    status: 201,
    response: z.object({
      added: z.number().int().nonnegative(),
      matched: z.number().int().nonnegative(),
      unknown: z.number().int().nonnegative(),
      unknownSample: z.array(z.string()).meta({ description: 'Up to 20 of the identifiers that named no customer.' }),
    }),
  }),

  // Blast radius
  'POST /incidents/{id}/mail-logs': op({
    summary: "Import a leaking tool's mail log (streamed CSV or JSON Lines) and analyse the exposure",
    description:
      'One record per sent message: messageId, time, from, to, cc, bcc (headers as logged, or lists of them). Messages the incident has already (same message id) are skipped, so a log can be imported again after mending its malformed lines, which are skipped and named.',
    tag: 'Blast radius',
    permission: 'blast.import',
    rawBody: {
      contentTypes: ['text/csv', 'application/x-ndjson'],
      description: 'The log itself: CSV with a header row, or one JSON object a line.',
    },
    query: z.object({
      name: z.string().max(200).optional().meta({ description: 'What the log is called (the file name).' }),
    }),
    status: 201,
    response: v.MailLogImport,
  }),
  'GET /incidents/{id}/exposure': op({
    summary: "An incident's blast radius: the figures as last analysed (null before any log) and its logs",
    tag: 'Blast radius',
    permission: 'console.read',
    status: 200,
    response: v.BlastRadius,
  }),
  'GET /incidents/{id}/exposure/search': op({
    summary: 'Was this address exposed, in which messages, and to whom?',
    tag: 'Blast radius',
    permission: 'console.read',
    query: z.object({ address: z.string().max(1000).meta({ description: 'An address in any header form.' }) }),
    status: 200,
    response: v.ExposureAnswer,
  }),
  'GET /incidents/{id}/exposure/export': op({
    summary: 'The exposed set as CSV, most seen first (for regulators); audited',
    tag: 'Blast radius',
    permission: 'console.read',
    status: 200,
    response: z.string(),
    raw: { contentTypes: ['text/csv'], description: 'address,externalId,messages,seenBy with a header row.' },
  }),
  'POST /incidents/{id}/exposure/affected': op({
    summary:
      'Mark the exposed customers affected (the AFFECTED cohort), as counted by the analysis `version` confirmed',
    description: 'Refused with 409 `blast_radius_changed` if a log was imported since that version: nothing is marked.',
    tag: 'Blast radius',
    permission: 'incident.update',
    body: markExposedInput,
    status: 201,
    response: z.object({
      exposedCustomers: z.number().int().nonnegative(),
      added: z.number().int().nonnegative(),
      affected: z.number().int().nonnegative(),
    }),
  }),

  // Resets
  'GET /incidents/{id}/resets': op({
    summary: "An incident's reset campaigns with their progress",
    tag: 'Resets',
    permission: 'console.read',
    status: 200,
    response: z.object({ campaigns: z.array(v.CampaignProgress) }),
  }),
  'POST /incidents/{id}/resets': op({
    summary: 'Request a mandatory password reset (waits for a second approver)',
    description: 'Answers the pending campaign with its dry-run `targetCount`.',
    tag: 'Resets',
    permission: 'reset.request',
    body: requestResetInput,
    status: 201,
    response: z.object({ campaign: v.Campaign }),
  }),
  'GET /resets/{id}': op({
    summary: 'A campaign with live progress: processed, mail by status, ETA',
    tag: 'Resets',
    permission: 'console.read',
    status: 200,
    response: z.object({ campaign: v.CampaignProgress }),
  }),
  'POST /resets/{id}/approve': op({
    summary: 'Approve a reset: in effect on return',
    description:
      'A second SECURITY or ADMIN person, signed in (a token is refused), with two-factor sign-in; the requester gets 403 self_approval.',
    tag: 'Resets',
    permission: 'reset.approve',
    status: 200,
    response: z.object({ campaign: v.Campaign }),
  }),
  'POST /resets/{id}/cancel': op({
    summary: 'Cancel a reset before it is approved',
    tag: 'Resets',
    permission: 'reset.request',
    status: 200,
    response: z.object({ campaign: v.Campaign }),
  }),

  // Disclosures
  'GET /incidents/{id}/disclosures': op({
    summary: "An incident's notices, newest first, each with its newest revision",
    tag: 'Disclosures',
    permission: 'console.read',
    status: 200,
    response: z.object({ disclosures: z.array(v.DisclosureSummary) }),
  }),
  'POST /incidents/{id}/disclosures': op({
    summary: 'Draft a notice: from the template and the incident’s facts, or from a title and body',
    description:
      'Without `title` and `body`, revision 1 is the template (California Civ. Code 1798.82 headings, GDPR Art. 34(2) prompts) with the facts filled in; `{{write: …}}` prompts and unknown facts stay as placeholders, which block submission.',
    tag: 'Disclosures',
    permission: 'disclosure.draft',
    body: createDisclosureInput,
    status: 201,
    response: z.object({ disclosure: v.DisclosureDetail }),
  }),
  'GET /disclosures/{id}': op({
    summary:
      'A notice: revisions, approvals, publications (signed), what it still needs, the diff to the published text',
    tag: 'Disclosures',
    permission: 'console.read',
    status: 200,
    response: z.object({ disclosure: v.DisclosureDetail }),
  }),
  'POST /disclosures/{id}/revisions': op({
    summary: 'Revise: a new revision (earlier approvals do not carry over)',
    tag: 'Disclosures',
    permission: 'disclosure.draft',
    body: reviseDisclosureInput,
    status: 201,
    response: z.object({ disclosure: v.DisclosureDetail }),
  }),
  'POST /disclosures/{id}/submit': op({
    summary: 'Submit the newest revision for approval (refused, naming what is missing, if incomplete)',
    tag: 'Disclosures',
    permission: 'disclosure.draft',
    status: 200,
    response: z.object({ disclosure: v.DisclosureDetail }),
  }),
  'POST /disclosures/{id}/approve': op({
    summary: 'Approve the exact revision you read: its number and content hash',
    description:
      'By someone other than its author, signed in (a token is refused). A newer revision or another text answers 409 stale_revision. DISCLOSURE_APPROVERS may require one approval of each listed role.',
    tag: 'Disclosures',
    permission: 'disclosure.approve',
    body: approveDisclosureInput,
    status: 200,
    response: z.object({ disclosure: v.DisclosureDetail }),
  }),
  'POST /disclosures/{id}/publish': op({
    summary: 'Publish the approved newest revision, signed; `notify` says who is mailed',
    tag: 'Disclosures',
    permission: 'disclosure.publish',
    body: publishDisclosureInput,
    status: 200,
    response: z.object({ disclosure: v.DisclosureDetail }),
  }),
  'GET /status': op({
    summary: 'The public status page as JSON: state, published notices (every revision, signed), official channels',
    description:
      'Served from the status snapshot (no database query), with ETag, Last-Modified and a short public Cache-Control. The Statuspage-compatible form is /api/v2/summary.json; the Atom feed /status/feed.xml.',
    tag: 'Status page',
    permission: 'public',
    status: 200,
    response: v.PublicStatus,
    raw: {
      contentTypes: ['application/json'],
      description: 'The PublicStatus document, or 304 when the ETag matches.',
    },
  }),
  'GET /channels': op({
    summary: 'Official channels, each with its latest signed statement and who made it',
    tag: 'Status page',
    permission: 'console.read',
    status: 200,
    response: z.object({ channels: z.array(v.Channel) }),
  }),
  'POST /channels': op({
    summary: 'List an official channel (signed statement: TRUSTED)',
    tag: 'Status page',
    permission: 'channel.mark',
    body: addChannelInput,
    status: 201,
    response: z.object({ channel: v.Channel }),
  }),
  'POST /channels/{id}/status': op({
    summary: 'Mark a channel COMPROMISED, RECOVERED or TRUSTED: one person, a reason; signed, audited, on the timeline',
    description:
      'No approval (speed first, like the freeze). The public page shows the change within a second. `incident` defaults to the only open incident, if exactly one is open.',
    tag: 'Status page',
    permission: 'channel.mark',
    body: markChannelInput,
    status: 200,
    response: z.object({ channel: v.Channel }),
  }),
  'POST /notices/verify': op({
    summary: 'Is this notice ours? Its signed JSON, or the text you received',
    description:
      'Authentic only if the signature is valid under one of our keys and it is exactly what we published, or if the text is, whitespace aside, a published revision word for word.',
    tag: 'Disclosures',
    permission: 'public',
    body: verifyNoticeInput,
    status: 200,
    response: v.NoticeVerdict,
  }),

  // Customers
  'GET /customers/{externalId}/credential-status': op({
    summary: "Whether a customer's current password holds (for the exchange's login service)",
    description:
      "The reference login's own switch: `reset_required` from the moment a reset is approved. Call it after the password checks out and refuse the login on `reset_required`. A customer refused without a live reset link gets one mailed, as the reference login does. A token of scope `credential-status:read` may call this and nothing else.",
    tag: 'Customers',
    permission: 'customers.credential_status',
    status: 200,
    response: v.CredentialStatus,
  }),
  'POST /customers/credential-status': op({
    summary: 'The same answer for up to 1,000 customers (a report: it writes nothing)',
    tag: 'Customers',
    permission: 'customers.credential_status',
    body: credentialStatusBatchInput,
    status: 200,
    response: z.object({
      results: z.array(v.CredentialStatus),
      unknown: z.array(z.string()).meta({ description: 'The ids that name no customer.' }),
    }),
  }),
  'POST /customers/import': op({
    summary: 'Import the customer directory (streamed CSV or JSON Lines)',
    description:
      'Creates and updates customers by externalId. Changes to existing email or password hash are refused unless `credentialChangeReason` is given: then they wait for a second person.',
    tag: 'Customers',
    permission: 'customers.import',
    rawBody: {
      contentTypes: ['text/csv', 'application/x-ndjson'],
      description: 'The file itself: CSV with a header row, or one JSON object a line.',
    },
    query: z.object({
      credentialChangeReason: z.string().max(2000).optional().meta({
        description: "Ask for the file's credential changes to wait for a second person's approval.",
      }),
    }),
    status: 201,
    response: v.ImportResult,
  }),
  'GET /customers/credential-changes': op({
    summary: 'Credential changes imports asked for, newest first (50)',
    tag: 'Customers',
    permission: 'customers.import',
    status: 200,
    response: z.object({ requests: z.array(v.CredentialChangeRequest) }),
  }),
  'GET /customers/credential-changes/{id}': op({
    summary: 'One request and (up to 1,000 of) its changes',
    tag: 'Customers',
    permission: 'customers.import',
    status: 200,
    response: z.object({ request: v.CredentialChangeDetail }),
  }),
  'POST /customers/credential-changes/{id}/approve': op({
    summary: 'Apply the changes (a second SECURITY/ADMIN person, signed in)',
    tag: 'Customers',
    permission: 'customers.import',
    status: 200,
    response: z.object({ request: v.CredentialChangeRequest }),
  }),
  'POST /customers/credential-changes/{id}/cancel': op({
    summary: 'Cancel the request: nothing is applied',
    tag: 'Customers',
    permission: 'customers.import',
    status: 200,
    response: z.object({ request: v.CredentialChangeRequest }),
  }),

  // Mail
  'GET /mail': op({
    summary: 'Freeze state and message counts per stream, and the send rate',
    tag: 'Mail',
    permission: 'console.read',
    status: 200,
    response: v.MailOverview,
  }),
  'POST /mail/freeze': op({
    summary: 'Freeze outbound mail of some streams, at once',
    description: 'Returns once no message of those streams is in an SMTP transaction; queued mail is held.',
    tag: 'Mail',
    permission: 'mail.freeze',
    body: freezeInput,
    status: 200,
    response: v.FreezeResult,
  }),
  'POST /mail/unfreeze': op({
    summary: 'Lift a freeze (held mail stays held until released or cancelled)',
    tag: 'Mail',
    permission: 'mail.freeze',
    body: freezeInput,
    status: 200,
    response: v.UnfreezeResult,
  }),
  'GET /mail/held': op({
    summary: 'Held messages, newest 200, and the total',
    tag: 'Mail',
    permission: 'console.read',
    query: z.object({
      holdReason: z.enum(MAIL_HOLD_REASONS).optional(),
      campaignId: z.string().optional(),
    }),
    status: 200,
    response: v.HeldList,
  }),
  'POST /mail/held/release': op({
    summary: 'Put held messages back in the queue (`dryRun`: count only)',
    tag: 'Mail',
    permission: 'mail.release',
    body: heldFilter,
    status: 200,
    response: v.ReleaseResult,
  }),
  'POST /mail/held/cancel': op({
    summary: 'Cancel held messages for good (`dryRun`: count only)',
    description: 'Takes a filter, or an explicit `all: true`.',
    tag: 'Mail',
    permission: 'mail.release',
    body: heldFilter,
    status: 200,
    response: v.CancelResult,
  }),
  'POST /mail/held/reconcile': op({
    summary: "Settle uncertain held messages against the relay's log",
    description:
      'Uncertain messages whose Message-ID the log lists become SENT; with `releaseUnlisted=true` the others are queued again.',
    tag: 'Mail',
    permission: 'mail.release',
    rawBody: {
      contentTypes: ['text/plain'],
      description: 'Up to 50 MB of relay log, or a list of Message-IDs.',
    },
    query: z.object({
      releaseUnlisted: flag,
      campaignId: z.string().optional().meta({ description: "Only this reset's mail." }),
    }),
    status: 200,
    response: v.ReconcileResult,
  }),

  // Staff
  'GET /staff': op({
    summary: 'Staff accounts',
    tag: 'Staff',
    permission: 'staff.manage',
    status: 200,
    response: z.object({ staff: z.array(v.Staff) }),
  }),
  'POST /staff': op({
    summary: 'Create a staff account',
    description: 'Answers the generated password once when none was given.',
    tag: 'Staff',
    permission: 'staff.manage',
    body: createStaffInput,
    status: 201,
    response: z.object({ staff: v.Staff, password: z.string().optional() }),
  }),
  'POST /staff/unlock': op({
    summary: 'Lift a sign-in lock before it runs out',
    tag: 'Staff',
    permission: 'staff.manage',
    body: unlockStaffInput,
    status: 200,
    response: z.object({ email: z.string(), wasLocked: z.boolean() }),
  }),
  'POST /staff/disable': op({
    summary: 'Disable an account: its sessions and tokens stop working at once',
    tag: 'Staff',
    permission: 'staff.manage',
    body: accountChangeInput,
    status: 200,
    response: z.object({ email: z.string(), tokensRevoked: z.number().int().nonnegative() }),
  }),
  'POST /staff/enable': op({
    summary: 'Enable a disabled account (its old tokens stay revoked)',
    tag: 'Staff',
    permission: 'staff.manage',
    body: accountChangeInput,
    status: 200,
    response: z.object({ email: z.string() }),
  }),
  'POST /staff/role': op({
    summary: "Change an account's role (applies to its sessions and tokens at once)",
    tag: 'Staff',
    permission: 'staff.manage',
    body: roleChangeInput,
    status: 200,
    response: z.object({ email: z.string(), role: v.Me.shape.role }),
  }),

  // Tokens
  'GET /tokens': op({
    summary: 'Your API tokens (never the secret)',
    tag: 'Tokens',
    permission: 'console.read',
    query: z.object({ all: flag.meta({ description: "`true`: everyone's (ADMIN)." }) }),
    status: 200,
    response: z.object({ tokens: z.array(v.Token) }),
  }),
  'POST /tokens': op({
    summary: 'Create a token for your own account (in a signed-in session)',
    description: 'The token is in this response and nowhere else.',
    tag: 'Tokens',
    permission: 'token.create',
    body: createTokenInput,
    status: 201,
    response: v.CreatedToken,
  }),
  // Webhooks
  'GET /webhooks': op({
    summary: 'Webhook endpoints, with their backlog',
    tag: 'Webhooks',
    permission: 'webhooks.manage',
    status: 200,
    response: z.object({ endpoints: z.array(v.WebhookEndpointWithBacklog) }),
  }),
  'POST /webhooks': op({
    summary: 'Add an endpoint: Firebreak POSTs the chosen events to it, signed',
    description:
      'The secret (`whsec_…`, the Standard Webhooks format) is in this response and nowhere else. Loopback, link-local, private and other non-public addresses are refused (400 `webhook_target_refused`) unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set.',
    tag: 'Webhooks',
    permission: 'webhooks.manage',
    body: createWebhookInput,
    status: 201,
    response: z.object({
      endpoint: v.WebhookEndpoint,
      secret: z.string().meta({ description: 'The signing secret: shown once.' }),
    }),
  }),
  'POST /webhooks/{id}/disable': op({
    summary: 'Stop sending to an endpoint (its waiting deliveries stay in the log)',
    tag: 'Webhooks',
    permission: 'webhooks.manage',
    status: 200,
    response: z.object({ endpoint: v.WebhookEndpoint }),
  }),
  'GET /webhooks/{id}/deliveries': op({
    summary: "An endpoint's delivery log, newest first (100)",
    tag: 'Webhooks',
    permission: 'webhooks.manage',
    status: 200,
    response: z.object({ endpoint: v.WebhookEndpoint, deliveries: z.array(v.WebhookDelivery) }),
  }),
  'POST /webhook-deliveries/{id}/replay': op({
    summary: 'Send a delivery again from its first attempt (a dead one, or one the receiver lost)',
    tag: 'Webhooks',
    permission: 'webhooks.manage',
    status: 200,
    response: z.object({
      delivery: z.object({ id: z.string(), eventId: z.string(), status: z.enum(['PENDING', 'DELIVERED', 'DEAD']) }),
    }),
  }),

  'POST /tokens/{id}/revoke': op({
    summary: "Revoke a token: your own, or (ADMIN) anyone's",
    tag: 'Tokens',
    permission: 'console.read',
    status: 200,
    response: z.object({ id: z.string(), revoked: z.literal(true) }),
  }),

  // Audit
  'GET /audit': op({
    summary: 'The audit log, oldest first: JSON Lines, or CSV',
    description: "Page with `after` (the last line's seq, also in the `x-next-after` header) and `limit` (≤ 1000).",
    tag: 'Audit',
    permission: 'audit.read',
    query: z.object({
      format: z.enum(['jsonl', 'csv']).optional(),
      action: z.string().optional().meta({ description: 'Actions starting with this text.' }),
      actor: z.string().optional(),
      target: z.string().optional().meta({ description: 'A target id or type.' }),
      after: z.string().optional().meta({ description: 'Events after this seq.' }),
      limit: z.string().optional(),
    }),
    status: 200,
    response: v.AuditEvent,
    raw: {
      contentTypes: ['application/x-ndjson', 'text/csv'],
      description:
        'JSON Lines: each line is one AuditEvent (the schema below is of one line, not of the body); or CSV: the same columns with a header row.',
    },
  }),
  'GET /audit/verify': op({
    summary: 'Walk the hash chain now and say whether it is intact',
    tag: 'Audit',
    permission: 'audit.read',
    status: 200,
    response: v.AuditVerification,
  }),

  // Customer login (the reference implementation)
  'POST /customer/login': op({
    summary: 'Customer login: a session token, or 403 password_reset_required',
    tag: 'Customer login',
    permission: 'public',
    body: customerLoginInput,
    status: 200,
    response: z.object({ sessionToken: z.string() }),
  }),
  'GET /customer/session': op({
    summary: "Check a customer's session (Authorization: Bearer <sessionToken>)",
    description: '401 when unknown or revoked; 403 password_reset_required while a reset applies to the customer.',
    tag: 'Customer login',
    permission: 'public',
    status: 200,
    response: v.CustomerSession,
  }),
  'POST /customer/reset': op({
    summary: 'Set a new password with a reset link token (single use)',
    description: 'The policy: 12 characters or more, not a common password.',
    tag: 'Customer login',
    permission: 'public',
    body: customerResetInput,
    status: 200,
    response: z.object({ ok: z.literal(true) }),
  }),
} as const satisfies Record<string, Operation>;

export type OperationKey = keyof typeof OPERATIONS;
