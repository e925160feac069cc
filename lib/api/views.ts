// What /api/v1 answers with, declared field by field: every JSON response passes through one of
// these views (lib/api/route.ts parses the domain result with it), so a column added to a table
// reaches the API only when someone adds it here. The same schemas are the OpenAPI document's
// component schemas (lib/api/openapi.ts). Times are ISO 8601 text; ids of staff rows are not
// published (people appear by name and email, as on the timeline).
import { z } from 'zod';
import { SCOPE_NAMES } from '@/lib/auth/policy';
import { CHANNEL_KINDS, CHANNEL_STATUSES } from '@/lib/channels/schema';
import { CLOCK_IDS, MILESTONE_KINDS, REGIMES } from '@/lib/clocks/definitions';
import { NOTICE_STATES, PUBLIC_STATES } from '@/lib/disclosures/schema';
import {
  CREDENTIAL_CHANGE_STATUSES,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  MAIL_HOLD_REASONS,
  MAIL_STATUSES,
  RESET_SCOPES,
  RESET_STATUSES,
  ROLES,
  SEVERITIES,
  STREAMS,
} from '@/lib/enums';
import { ERROR_CODES, type ErrorCode } from '@/lib/errors';
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS } from '@/lib/webhooks/schema';

/** A time: a Date in, ISO 8601 text out. */
const time = z
  .date()
  .transform((date) => date.toISOString())
  .pipe(z.string().meta({ format: 'date-time' }));
const count = z.number().int().nonnegative();
const person = z.object({ name: z.string(), email: z.string() });
/** JSON a domain event carries (timeline and audit `data`): its keys depend on the action. */
const eventData = z.unknown();

export const ErrorView = z
  .object({
    error: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error', description: 'Every error: a stable code (see the README) and a sentence for people.' });

// Incidents

const Clock = z
  .object({
    id: z.enum(CLOCK_IDS),
    regime: z.enum(REGIMES),
    title: z.string(),
    rule: z.string(),
    state: z.enum(['NOT_STARTED', 'RUNNING', 'OVERDUE', 'MET', 'LATE', 'NO_FIXED_DEADLINE']),
    startAt: time.nullable(),
    dueAt: time.nullable(),
    filedAt: time.nullable(),
    remainingMs: z.number().nullable(),
  })
  .meta({ id: 'Clock', description: 'A regulatory deadline that applies to the incident.' });

const Milestone = z
  .object({
    id: z.string(),
    kind: z.enum(MILESTONE_KINDS),
    report: z.string().nullable().meta({ description: 'The clock a REPORT_FILED milestone stops.' }),
    occurredAt: time,
    recordedAt: time,
    recordedBy: z.string(),
    note: z.string().nullable(),
  })
  .meta({ id: 'Milestone' });

const TimelineEntry = z
  .object({
    id: z.string(),
    at: time,
    kind: z.string(),
    action: z.string().nullable(),
    message: z.string(),
    actorLabel: z.string(),
    data: eventData,
  })
  .meta({ id: 'TimelineEntry' });

const incidentFields = {
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  severity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  summary: z.string(),
  detectedAt: time,
  declaredAt: time,
  closedAt: time.nullable(),
  updatedAt: time,
};

export const Incident = z.object(incidentFields).meta({ id: 'Incident' });

export const IncidentListItem = z
  .object({
    ...incidentFields,
    declaredBy: person,
    commander: person.nullable(),
    nearestDeadline: Clock.nullable(),
    overdue: count,
  })
  .meta({ id: 'IncidentListItem' });

export const IncidentDetail = z
  .object({
    ...incidentFields,
    declaredBy: person,
    commander: person.nullable(),
    milestones: z.array(Milestone),
    timeline: z.array(TimelineEntry).meta({ description: 'Newest first.' }),
    clocks: z.array(Clock),
  })
  .meta({ id: 'IncidentDetail' });

export { Milestone };

// Resets

const campaignFields = {
  id: z.string(),
  incidentId: z.string(),
  scope: z.enum(RESET_SCOPES),
  onlyWithout2fa: z.boolean(),
  onlyWithBalance: z.boolean(),
  revokeSessions: z.boolean(),
  revokeApiKeys: z.boolean(),
  sendMail: z.boolean(),
  lockWithdrawalsHours: z.number().int().nullable(),
  status: z.enum(RESET_STATUSES),
  targetCount: count,
  requestedBy: z.string(),
  requestedAt: time,
  approvedBy: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  effectiveAt: time.nullable(),
  processedCount: count,
  mailedCount: count,
  chunksDone: count,
  startedAt: time.nullable(),
  finishedAt: time.nullable(),
  lastError: z.string().nullable(),
};

export const Campaign = z
  .object(campaignFields)
  .meta({ id: 'Campaign', description: 'A mandatory password reset: its cohort, options and state.' });

export const CampaignProgress = z
  .object({
    ...campaignFields,
    progress: z.number().min(0).max(1),
    mail: z.object({
      queued: count,
      sending: count,
      sent: count,
      held: count,
      uncertain: count.meta({ description: 'Part of `held`: a worker was lost mid-send; a person must settle them.' }),
      failed: count,
      cancelled: count,
    }),
    etaSeconds: z.number().int().nullable(),
  })
  .meta({ id: 'CampaignProgress' });

// Customers

const credentialRequestFields = {
  id: z.string(),
  status: z.enum(CREDENTIAL_CHANGE_STATUSES),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: time,
  customerCount: count,
  emailCount: count,
  passwordCount: count,
  decidedBy: z.string().nullable(),
  decidedAt: time.nullable(),
  appliedCount: count.nullable(),
  staleCount: count.nullable(),
};

export const CredentialChangeRequest = z.object(credentialRequestFields).meta({ id: 'CredentialChangeRequest' });

export const CredentialChangeDetail = z
  .object({
    ...credentialRequestFields,
    changes: z.array(
      z.object({
        externalId: z.string(),
        line: z.number().int(),
        oldEmail: z.string(),
        newEmail: z.string().nullable(),
        passwordHash: z.boolean().meta({ description: 'Whether the password hash changes (never the hash itself).' }),
      }),
    ),
    moreChanges: z.boolean().meta({ description: 'More than the 1,000 changes listed.' }),
  })
  .meta({ id: 'CredentialChangeDetail' });

export const CredentialStatus = z
  .object({
    externalId: z.string(),
    status: z.enum(['valid', 'reset_required']),
    campaign: z.string().nullable().meta({ description: 'The reset campaign that requires it, if any.' }),
    since: time.nullable().meta({ description: 'When the current password stopped holding.' }),
  })
  .meta({ id: 'CredentialStatus' });

export const ImportResult = z
  .object({
    rows: count,
    created: count,
    updated: count,
    credentialChanges: z
      .object({ requestId: z.string(), customers: count, email: count, passwordHash: count })
      .nullable(),
  })
  .meta({ id: 'ImportResult' });

// Blast radius

const MalformedLine = z.object({ line: count, message: z.string() });
export const ExposureFigures = z
  .object({
    version: count.meta({
      description: 'Increases with every analysis; marking the exposed customers affected names it.',
    }),
    messages: count,
    recipients: count.meta({ description: 'Recipient entries as logged (repeats included): the records.' }),
    exposingMessages: count.meta({ description: "Messages in which someone's address was seen by another recipient." }),
    multiVisibleMessages: count.meta({ description: 'Messages with more than one visible (To or Cc) recipient.' }),
    exposedAddresses: count,
    exposedCustomers: count,
    unmatchedAddresses: count.meta({ description: 'Exposed addresses that name no customer in the directory.' }),
    malformed: count.meta({ description: 'Lines the latest import could not read (each log keeps its own count).' }),
    histogram: z
      .array(z.object({ from: count, to: count, addresses: count }))
      .meta({ description: 'Exposed addresses by how many others saw them, in buckets 1, 2–4, 5–9, 10–19, …' }),
    markedVersion: count.nullable().meta({ description: 'The version whose exposed customers were marked affected.' }),
    analysedAt: time,
  })
  .meta({ id: 'ExposureFigures' });
export const MailLogImport = z
  .object({
    logId: z.string(),
    lines: count,
    messages: count.meta({ description: 'Messages added.' }),
    duplicates: count.meta({ description: 'Messages the incident had already (same message id): skipped.' }),
    malformed: count,
    malformedLines: z.array(MalformedLine).meta({ description: 'The first 100 malformed lines, with why.' }),
    recipients: count,
    figures: ExposureFigures,
  })
  .meta({ id: 'MailLogImport' });
export const BlastRadius = z
  .object({
    figures: ExposureFigures.nullable(),
    logs: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        format: z.string(),
        lines: count,
        messages: count,
        duplicates: count,
        malformed: count,
        malformedLines: z.array(MalformedLine),
        recipients: count,
        importedAt: time,
        importedBy: z.string(),
      }),
    ),
  })
  .meta({ id: 'BlastRadius' });
export const ExposureAnswer = z
  .object({
    address: z.string(),
    exposed: z.boolean(),
    customer: z.object({ externalId: z.string() }).nullable().optional(),
    seenBy: count.optional(),
    messageCount: count.optional(),
    messages: z.array(z.object({ messageId: z.string(), sentAt: time.nullable(), recipients: count })).optional(),
    seenBySample: z.array(z.string()).optional().meta({ description: 'Up to 100 of those who saw it, in order.' }),
  })
  .meta({ id: 'ExposureAnswer' });

export const CustomerSession = z.object({
  customerId: z.string(),
  externalId: z.string(),
  email: z.string(),
  sessionCreatedAt: time,
});

// Mail

const Freeze = z
  .object({
    id: z.string(),
    streams: z.array(z.enum(STREAMS)),
    reason: z.string(),
    frozenBy: z.string(),
    frozenAt: time,
    liftedBy: z.string().nullable(),
    liftedAt: time.nullable(),
    liftReason: z.string().nullable(),
  })
  .meta({ id: 'MailFreeze' });

export const FreezeResult = z.object({ freeze: Freeze, held: count });
export const UnfreezeResult = z.object({ lifted: count, frozen: z.array(z.enum(STREAMS)) });

export const MailOverview = z
  .object({
    streams: z.array(
      z.object({
        stream: z.enum(STREAMS),
        counts: z.object(
          Object.fromEntries(MAIL_STATUSES.map((status) => [status, count])) as Record<
            (typeof MAIL_STATUSES)[number],
            typeof count
          >,
        ),
        frozen: z.object({ id: z.string(), reason: z.string(), frozenBy: z.string(), frozenAt: time }).nullable(),
      }),
    ),
    sendRatePerSecond: z.number().nonnegative(),
    sentLastMinute: count,
  })
  .meta({ id: 'MailOverview' });

export const HeldList = z
  .object({
    total: count,
    messages: z.array(
      z.object({
        id: z.string(),
        stream: z.enum(STREAMS),
        to: z.string(),
        subject: z.string(),
        holdReason: z.enum(MAIL_HOLD_REASONS).nullable(),
        lastError: z.string().nullable(),
        queuedAt: time,
        attempts: count,
        campaignId: z.string().nullable(),
        messageId: z.string(),
      }),
    ),
  })
  .meta({ id: 'HeldList', description: 'Newest 200 held messages (never their bodies) and the total.' });

const byStream = z
  .partialRecord(z.enum(STREAMS), count)
  .optional()
  .meta({ description: 'With dryRun: the count per stream.' });
export const ReleaseResult = z.object({
  dryRun: z.boolean(),
  count,
  byStream,
  stillFrozen: count.meta({ description: 'Held mail of streams still frozen: left held.' }),
});
export const CancelResult = z.object({ dryRun: z.boolean(), count, byStream });
export const ReconcileResult = z.object({
  uncertain: count,
  sent: count,
  released: count,
  stillHeld: count,
  stillFrozen: count,
});

// Staff and tokens

export const Me = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  via: z.enum(['session', 'token']),
});

export const Staff = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabledAt: time.nullable(),
    lockedUntil: time.nullable(),
    lastLoginAt: time.nullable(),
    createdAt: time,
    totpEnabledAt: time.nullable(),
    ssoIssuer: z
      .string()
      .nullable()
      .meta({ description: 'The OpenID provider the person signs in through; null for a local account.' }),
  })
  .meta({ id: 'Staff' });

// Webhooks

export const WebhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    format: z.enum(WEBHOOK_FORMATS).meta({ description: '`standard` (signed JSON) or `slack` (a line of text).' }),
    createdAt: time,
    createdBy: z.string(),
    disabledAt: time.nullable(),
  })
  .meta({ id: 'WebhookEndpoint' });

export const WebhookEndpointWithBacklog = WebhookEndpoint.extend({
  pending: count.meta({ description: 'Deliveries waiting (their head is being attempted).' }),
  dead: count.meta({ description: 'Deliveries that ran out of attempts: replay them once the receiver is fixed.' }),
}).meta({ id: 'WebhookEndpointWithBacklog' });

export const WebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: 'The webhook-id header: the receiver dedupes by it.' }),
    type: z.enum(WEBHOOK_EVENTS),
    createdAt: time,
    status: z.enum(['PENDING', 'DELIVERED', 'DEAD']),
    attempts: count,
    nextAttemptAt: time,
    lastAttemptAt: time.nullable(),
    lastStatus: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when none came." }),
    lastError: z.string().nullable(),
    lastResponseMs: z.number().int().nullable(),
    deliveredAt: time.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const Token = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the token, to recognise it; never the secret.' }),
    owner: z.string(),
    role: z.enum(ROLES),
    createdAt: time,
    expiresAt: time.nullable(),
    lastUsedAt: time.nullable(),
    revokedAt: time.nullable(),
    scope: z
      .enum(SCOPE_NAMES)
      .nullable()
      .meta({ description: "null: the owner's role. Else the one thing this token may do." }),
    active: z.boolean(),
  })
  .meta({ id: 'Token' });

export const CreatedToken = z.object({
  id: z.string(),
  token: z.string().meta({ description: 'The secret: in this response and nowhere else.' }),
  owner: z.string(),
  role: z.enum(ROLES),
  scope: z.enum(SCOPE_NAMES).nullable(),
  expiresAt: time.nullable(),
});

// Audit and health

export const AuditEvent = z
  .object({
    seq: z.string().meta({ description: 'Position in the chain (a 64-bit integer as text): the paging cursor.' }),
    at: z.string().meta({ format: 'date-time' }),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    data: eventData,
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent', description: 'One line of the JSON Lines export.' });

export const AuditVerification = z
  .discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), checked: count, headSeq: z.string(), headHash: z.string() }),
    z.object({ ok: z.literal(false), checked: count, seq: z.string(), problem: z.string() }),
  ])
  .meta({ id: 'AuditVerification' });

export const Health = z
  .object({
    ok: z.boolean(),
    // Public: whether the database answers, never its error (which names hosts and ports).
    database: z.object({ ok: z.boolean() }),
    worker: z.object({
      ok: z.boolean(),
      alive: count,
      lastSeenAt: z.string().meta({ format: 'date-time' }).nullable(),
    }),
  })
  .meta({ id: 'Health' });

// Disclosures

const revision = z
  .object({
    number: z.number().int().positive(),
    title: z.string(),
    body: z.string().meta({ description: 'Markdown, rendered sanitised (no raw HTML, scripts or javascript: links).' }),
    state: z
      .enum(NOTICE_STATES)
      .meta({ description: 'Where the notice says the incident is: what the public status page shows.' }),
    contentHash: z.string().meta({
      description: 'SHA-256 of the canonical JSON of {audience, title, body, state}: what an approval names.',
    }),
    author: z.string(),
    createdAt: time,
  })
  .meta({ id: 'DisclosureRevision' });

export const SignedNoticeView = z
  .object({
    notice: z.object({
      purpose: z.literal('firebreak-notice'),
      notice: z.string(),
      incident: z.string(),
      revision: z.number().int(),
      title: z.string(),
      body: z.string(),
      publishedAt: z.string().meta({ format: 'date-time' }),
      url: z.string(),
      state: z.enum(PUBLIC_STATES).optional(),
    }),
    signature: z.string().meta({ description: 'Ed25519 over the canonical JSON (RFC 8785) of `notice`, base64url.' }),
    kid: z.string().meta({ description: 'The key, in /.well-known/firebreak-notice-keys.json.' }),
  })
  .meta({ id: 'SignedNotice' });

const disclosureFields = {
  id: z.string(),
  audience: z.enum(['CUSTOMERS']),
  status: z.enum(['DRAFT', 'IN_REVIEW', 'APPROVED', 'PUBLISHED']),
  latestRevision: z.number().int().positive(),
  publishedRevision: z.number().int().positive().nullable(),
  createdBy: z.string(),
  createdAt: time,
  updatedAt: time,
};

export const DisclosureSummary = z
  .object({ ...disclosureFields, revisions: z.array(revision).meta({ description: 'The newest revision only.' }) })
  .meta({ id: 'DisclosureSummary' });

export const DisclosureDetail = z
  .object({
    ...disclosureFields,
    incident: z.object({ id: z.string(), reference: z.string(), title: z.string() }),
    revisions: z.array(revision).meta({ description: 'Newest first.' }),
    approvals: z.array(
      z.object({
        revision: z.number().int(),
        contentHash: z.string(),
        approver: z.string(),
        role: z.enum(ROLES),
        approvedAt: time,
      }),
    ),
    notices: z.array(
      z.object({
        revision: z.number().int(),
        publishedAt: time,
        publishedBy: z.string(),
        notify: z.enum(['NONE', 'AFFECTED', 'ALL']),
        mail: z
          .object({
            status: z.enum(['RUNNING', 'COMPLETED', 'FAILED']),
            queued: count,
            lastError: z.string().nullable(),
          })
          .nullable()
          .meta({ description: 'The notice mail: queued so far, and whether every customer has been reached.' }),
        signed: SignedNoticeView,
      }),
    ),
    approvalsNeeded: z.array(z.string()).meta({ description: 'Who must still approve the newest revision.' }),
    problems: z
      .array(z.string())
      .meta({ description: 'What keeps the newest revision from being submitted or published.' }),
    diff: z
      .object({
        from: z.number().int(),
        to: z.number().int(),
        parts: z.array(z.object({ value: z.string(), change: z.enum(['same', 'added', 'removed']) })),
      })
      .nullable()
      .meta({ description: 'Word by word, the newest revision against the published one.' }),
  })
  .meta({ id: 'DisclosureDetail' });

export const NoticeVerdict = z
  .union([
    z.object({
      authentic: z.literal(true),
      how: z.enum(['signature', 'text']),
      notice: z.object({
        notice: z.string(),
        incident: z.string(),
        revision: z.number().int(),
        title: z.string(),
        publishedAt: z.string().meta({ format: 'date-time' }),
        url: z.string(),
        supersededBy: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'A newer published revision of this notice: read that one.' }),
      }),
    }),
    z.object({
      authentic: z.literal(true),
      how: z.literal('signature'),
      channel: z.object({
        channel: z.string(),
        label: z.string(),
        status: z.enum(CHANNEL_STATUSES),
        since: z.string().meta({ format: 'date-time' }),
        currentStatus: z
          .enum(['TRUSTED', 'COMPROMISED', 'RECOVERED'])
          .nullable()
          .meta({ description: "The channel's status now, when a newer statement replaced this one." }),
      }),
    }),
    z.object({
      authentic: z.literal(false),
      reason: z.string(),
      excerptOf: z
        .object({
          notice: z.string(),
          incident: z.string(),
          revision: z.number().int(),
          title: z.string(),
          publishedAt: z.string().meta({ format: 'date-time' }),
          url: z.string(),
          supersededBy: z.number().int().nullable(),
        })
        .optional()
        .meta({
          description: 'The text is a quote of this notice: the words are ours, the message around them may not be.',
        }),
    }),
  ])
  .meta({ id: 'NoticeVerdict' });

const SignedChannelView = z
  .object({
    channel: z.object({
      purpose: z.literal('firebreak-channel'),
      channel: z.string(),
      name: z.string(),
      kind: z.string(),
      handle: z.string(),
      url: z.string().nullable(),
      status: z.enum(CHANNEL_STATUSES),
      since: z.string(),
      note: z.string().nullable(),
      page: z.string(),
    }),
    signature: z.string(),
    kid: z.string(),
  })
  .meta({ id: 'SignedChannelStatement' });

/** The public status page as JSON: only what was published. */
export const PublicStatus = z
  .object({
    page: z.object({ name: z.string(), url: z.string(), updatedAt: time }),
    state: z.object({
      kind: z.enum(['clear', 'channel', 'incident']),
      description: z.string(),
      status: z.enum(PUBLIC_STATES).optional(),
      impact: z.enum(['none', 'minor', 'major', 'critical']).optional(),
    }),
    notices: z.array(
      z.object({
        id: z.string(),
        incident: z.string(),
        status: z.enum(PUBLIC_STATES),
        active: z.boolean().meta({ description: 'Its incident is not resolved: the notice is on the front page.' }),
        url: z.string(),
        firstPublishedAt: time,
        updatedAt: time,
        revisions: z
          .array(
            z.object({
              revision: z.number().int(),
              title: z.string(),
              body: z.string().meta({ description: 'Markdown.' }),
              publishedAt: time,
              signed: SignedNoticeView,
            }),
          )
          .meta({ description: 'Every published revision, newest first.' }),
      }),
    ),
    channels: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(CHANNEL_KINDS),
        handle: z.string(),
        url: z.string().nullable(),
        status: z.enum(CHANNEL_STATUSES),
        since: time,
        note: z.string().nullable(),
        signed: SignedChannelView.nullable(),
      }),
    ),
  })
  .meta({ id: 'PublicStatus' });

/** An official channel as staff see it (the console's Channels page). */
export const Channel = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    handle: z.string(),
    url: z.string().nullable(),
    label: z.string(),
    status: z.enum(CHANNEL_STATUSES),
    since: time,
    publicNote: z.string().nullable(),
    lastChange: z.object({ by: z.string(), at: time, reason: z.string(), signed: SignedChannelView }).nullable(),
  })
  .meta({ id: 'Channel' });
