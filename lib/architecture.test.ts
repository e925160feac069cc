// The rules of this codebase that review alone would let slip, checked on the source itself:
//   1. every exported lib/ function that writes (opens a transaction, or runs an INSERT, UPDATE or
//      DELETE) checks a permission (assertCan) and records an audit event — or is on the list
//      below, which says for each part it skips why;
//   2. pages, route handlers, server actions and components (app/, components/) never import the
//      database: they go through lib/;
//   3. every server action of the console goes through staffAction (lib/actions.ts): the signed-in
//      staff member first, domain errors mapped to the form once.
// The source is parsed (@babel/parser); a function's callees in the same file count as its own
// body, so a writer that delegates to a local helper is still seen.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@babel/parser';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' || name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) ? [path] : [];
  });
}

const parseFile = (file: string) => {
  const text = readFileSync(file, 'utf8');
  return { text, program: parse(text, { sourceType: 'module', plugins: ['typescript', 'jsx'] }).program };
};

/** Prisma writes on a client or transaction, a transaction, or SQL that changes rows. */
const WRITES =
  /\b(db|tx|client)\.\w+\.(create|createMany|update|updateMany|upsert|delete|deleteMany)\(|\.\$transaction\(|\bINSERT INTO\b|\bUPDATE "|\bDELETE FROM\b/;
const CHECKS = /\bassertCan\(/;
const AUDITS = /\brecordAudit(Pg)?\(|\brecordIncidentAction\(/;

type Traits = { writes: boolean; checks: boolean; audits: boolean };

/** Exported functions of one file with what they (and the same file's functions they call) do. */
function exportedFunctions(file: string): Map<string, Traits> {
  const { text, program } = parseFile(file);
  const functions = new Map<string, { body: string; exported: boolean }>();
  for (const statement of program.body) {
    const exported = statement.type === 'ExportNamedDeclaration' && Boolean(statement.declaration);
    const node =
      statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
    if (node.type === 'FunctionDeclaration' && node.id) {
      functions.set(node.id.name, { body: text.slice(node.start ?? 0, node.end ?? 0), exported });
    }
    if (node.type === 'VariableDeclaration') {
      for (const declaration of node.declarations) {
        const init = declaration.init;
        if (declaration.id.type !== 'Identifier' || !init) continue;
        if (['ArrowFunctionExpression', 'FunctionExpression', 'CallExpression'].includes(init.type)) {
          functions.set(declaration.id.name, { body: text.slice(init.start ?? 0, init.end ?? 0), exported });
        }
      }
    }
  }
  const traits = (name: string, seen: Set<string>): Traits => {
    const { body } = functions.get(name)!;
    const own = { writes: WRITES.test(body), checks: CHECKS.test(body), audits: AUDITS.test(body) };
    seen.add(name);
    for (const callee of functions.keys()) {
      if (seen.has(callee) || !new RegExp(`\\b${callee.replace(/\$/g, '\\$')}\\(`).test(body)) continue;
      const more = traits(callee, seen);
      own.writes ||= more.writes;
      own.checks ||= more.checks;
      own.audits ||= more.audits;
    }
    return own;
  };
  const result = new Map<string, Traits>();
  for (const [name, { exported }] of functions) if (exported) result.set(name, traits(name, new Set()));
  return result;
}

/**
 * Writers that skip a part of the rule, and why. A new entry needs a reason a reviewer accepts;
 * an entry whose function no longer skips that part fails the test, so the list stays true.
 */
const EXCEPTIONS: Record<string, { check?: string; audit?: string }> = {
  'lib/status/snapshot.ts buildSnapshot': {
    check: 'reads only what was published, for the public page (a read-only transaction for one consistent view)',
    audit: 'writes nothing',
  },
  'lib/status/snapshot.ts statusSnapshot': {
    check: 'the public page: reads what was published',
    audit: 'writes nothing',
  },
  'lib/status/snapshot.ts refreshStatusSnapshot': {
    check: 'the public page: reads what was published',
    audit: 'writes nothing',
  },
  'lib/status/subscriptions.ts requestSubscription': {
    check: 'public self-service: anyone may ask for notices at an address; mail goes only after its owner confirms',
    audit: 'not staff: an anonymous flood must not fill the audit log; the row and the outbox are the record',
  },
  'lib/status/subscriptions.ts confirmSubscription': {
    check: "the address's owner, by the signed single-use link mailed to it",
    audit: 'not staff: the row keeps when it was confirmed',
  },
  'lib/status/subscriptions.ts unsubscribe': {
    check: "the address's owner, by the signed link in every notice mail (RFC 8058)",
    audit: 'not staff: the row keeps when it was unsubscribed',
  },
  'lib/blast/analysis.ts analyseExposure': {
    check: 'runs inside importMailLog, in its transaction, which checked blast.import',
    audit: "the import's audit event carries the figures it produced",
  },
  'lib/blast/analysis.ts unchangedExposure': {
    check: 'runs inside importMailLog, in its transaction, which checked blast.import',
    audit: "the import's audit event says what it added (nothing) and skipped",
  },
  'lib/audit/index.ts recordAudit': { check: 'it is the audit; its callers check, in the same transaction' },
  'lib/audit/index.ts recordAuditPg': { check: 'it is the audit; its callers check, in the same transaction' },
  'lib/incidents/timeline.ts appendTimeline': {
    check: 'records an action its caller has authorised, in the same transaction',
    audit: 'its callers record the audit event (recordIncidentAction, or the worker beside it)',
  },
  'lib/incidents/timeline.ts recordIncidentAction': {
    check: 'records an action its caller has authorised, in the same transaction',
  },
  'lib/audit/checkpoints.ts storeCheckpoint': {
    check: "the worker's own signed checkpoint; no person acts",
    audit: 'a checkpoint is itself a record of the audit log (signed, and also kept in a file)',
  },
  'lib/auth/login.ts authenticateStaff': { check: 'signing in: there is no actor yet to hold a permission' },
  'lib/auth/sso.ts signInWithSso': { check: 'signing in through the OpenID provider: there is no actor yet' },
  'lib/auth/tokens.ts actorFromBearer': {
    check: 'stamps the token it is authenticating with its last use; nobody acts yet',
    audit: 'last use is bookkeeping on the token row, written on every API request',
  },
  'lib/auth/totp.ts acceptTotpCode': {
    check: 'part of signing in: marks a code used so it cannot be replayed',
    audit: 'the sign-in it belongs to is audited (staff.signed_in / staff.sign_in_failed)',
  },
  'lib/auth/totp.ts beginTotpEnrolment': { check: "self-service: acts on the caller's own account, by their session" },
  'lib/auth/totp.ts confirmTotpEnrolment': {
    check: "self-service: acts on the caller's own account, by their session",
  },
  'lib/auth/totp.ts disableTotp': {
    check: "self-service: the caller's own account, and a current code is required",
  },
  'lib/customers/auth.ts customerLogin': {
    check: 'the reference customer login: a customer, not staff; the password is the permission',
    audit: 'customer sessions are not staff actions; failures count toward a pause (sign-in throttling)',
  },
  'lib/customers/auth.ts resetCustomerPassword': {
    check: 'a customer with a valid reset link; the link is the permission',
  },
  'lib/db/migrate.ts migrate': {
    check: 'schema migrations, as the owner role at deploy time',
    audit: "Prisma's own migration table records them",
  },
  'lib/disclosures/notify.ts runNoticeChunk': {
    check: 'the worker mails a notice two people approved and one published',
  },
  'lib/disclosures/notify.ts createNoticeRunner': {
    check: 'the worker mails a notice two people approved and one published',
  },
  'lib/mail/dispatcher.ts createDispatcher': {
    check: 'the worker sends what authorised writes queued',
    audit: "the loop: its parts' decisions are audited where made (recovery, a guard refusal's freeze)",
  },
  'lib/mail/claim.ts claimQueued': {
    check: 'the worker claims what authorised writes queued',
    audit: 'a claim is bookkeeping on the message row (status, claimedAt, claimToken)',
  },
  'lib/mail/chunk.ts deliverChunk': {
    check: 'the worker sends what authorised writes queued',
    audit: "each outcome is on the message's row (status, SMTP response); a guard refusal freezes, audited",
  },
  'lib/mail/outcomes.ts writeOutcomes': {
    check: 'records SMTP outcomes of messages this worker claimed',
    audit: "each outcome is on the message's row (status, SMTP response, attempts)",
  },
  'lib/mail/recovery.ts recoverLostClaims': { check: "the worker settles a lost worker's claimed mail" },
  'lib/mail/slots.ts createSlotMarks': {
    check: "the dispatcher's crash marks (an unlogged table)",
    audit: 'bookkeeping of SMTP transactions in flight; outcomes and recoveries are audited',
  },
  'lib/mail/outbox.ts enqueueMail': { check: 'called inside the authorised write that queues it' },
  'lib/mail/outbox.ts enqueueMany': { check: 'called inside the authorised write that queues them' },
  'lib/mail/outbox.ts enqueueRowsPg': { check: "the fan-out's bulk enqueue, inside its audited chunk" },
  'lib/mail/outbox.ts refuseAndFreeze': { check: "the transport's guard refused a message: the system freezes" },
  'lib/mail/sink.ts databaseStore': {
    check: 'the local SMTP sink records what it receives',
    audit: 'a test and demo SMTP server, not a console action',
  },
  'lib/resets/fanout.ts runChunk': { check: 'the worker applies a campaign two people approved' },
  'lib/resets/fanout.ts createResetRunner': { check: 'the worker applies a campaign two people approved' },
  'lib/resets/late-links.ts issueMissingResetLink': {
    check: 'a customer refused at login gets the reset link a campaign owed them',
  },
  'lib/webhooks/emit.ts emitWebhook': {
    check: 'called inside the authorised write whose change it reports',
    audit: "that write's audit event is the record; the event row is its outbox entry",
  },
  'lib/webhooks/deliver.ts createWebhookDeliverer': {
    check: 'the worker sends what authorised writes recorded',
    audit:
      "each attempt's outcome is on the delivery row (status, attempts, HTTP status, error, time): the delivery log",
  },
  'lib/seed/demo.ts seedDemoCustomers': {
    check: 'demo data at first start, refused in production mode',
    audit: 'demo data, not a response action',
  },
};

describe('the code keeps its own rules', () => {
  it('every exported lib/ function that writes checks a permission and records an audit event (or says why not)', () => {
    const found: Record<string, { check?: true; audit?: true }> = {};
    for (const file of sources(join(ROOT, 'lib'))) {
      for (const [name, traits] of exportedFunctions(file)) {
        if (!traits.writes || (traits.checks && traits.audits)) continue;
        found[`${relative(ROOT, file)} ${name}`] = {
          ...(traits.checks ? {} : { check: true }),
          ...(traits.audits ? {} : { audit: true }),
        };
      }
    }
    const declared = Object.fromEntries(
      Object.entries(EXCEPTIONS).map(([key, reasons]) => [
        key,
        { ...(reasons.check ? { check: true } : {}), ...(reasons.audit ? { audit: true } : {}) },
      ]),
    );
    expect(found).toEqual(declared);
  });

  it('the analysis sees writes, checks and audits (it would flag a writer that skips them)', () => {
    // Known shapes, so the rule cannot pass by seeing nothing.
    const traits = exportedFunctions(join(ROOT, 'lib/incidents/index.ts')).get('declareIncident');
    expect(traits).toEqual({ writes: true, checks: true, audits: true });
    expect(exportedFunctions(join(ROOT, 'lib/customers/auth.ts')).get('customerLogin')).toMatchObject({
      writes: true,
      checks: false,
    });
  });

  it('pages, routes, actions and components never import the database', () => {
    const offenders: string[] = [];
    for (const dir of ['app', 'components']) {
      for (const file of sources(join(ROOT, dir))) {
        for (const statement of parseFile(file).program.body) {
          if (statement.type !== 'ImportDeclaration') continue;
          const from = statement.source.value;
          if (/^@\/lib\/(db|generated)(\/|$)|^pg$|^@prisma\//.test(from))
            offenders.push(`${relative(ROOT, file)} imports ${from}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every console server action goes through staffAction', () => {
    const bare: string[] = [];
    for (const file of sources(join(ROOT, 'app/(console)'))) {
      const { text, program } = parseFile(file);
      if (!program.directives.some((d) => d.value.value === 'use server')) continue;
      for (const statement of program.body) {
        if (statement.type !== 'ExportNamedDeclaration' || statement.declaration?.type !== 'FunctionDeclaration')
          continue;
        const body = text.slice(statement.declaration.start ?? 0, statement.declaration.end ?? 0);
        if (!/\bstaffAction\(/.test(body)) bare.push(`${relative(ROOT, file)} ${statement.declaration.id?.name}`);
      }
    }
    expect(bare).toEqual([]);
    expect(sources(join(ROOT, 'app/(console)')).some((f) => f.endsWith('actions.ts'))).toBe(true);
  });

  it('every audit action in the closed set is recorded somewhere (no dead names)', async () => {
    const { AUDIT_ACTIONS } = await import('@/lib/audit/actions');
    const code = ['lib', 'worker', 'cli', 'app', 'scripts']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((f) => !f.endsWith('lib/audit/actions.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(AUDIT_ACTIONS.filter((action) => !code.includes(`'${action}'`))).toEqual([]);
  });

  it("the README's table of error codes is the closed set, each with its one status, and each code is used", async () => {
    const { ERROR_CODES } = await import('@/lib/errors');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('<summary>Error codes</summary>'), readme.indexOf('</details>'));
    const documented = Object.fromEntries(
      [...table.matchAll(/^\| `([a-z_0-9]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]),
    );
    expect(documented).toEqual(ERROR_CODES);
    const code = ['lib', 'app']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((f) => !f.endsWith('lib/errors.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const defaults = [
      'invalid_input',
      'forbidden',
      'conflict',
      'not_found',
      'unauthenticated',
      'payload_too_large',
      'too_many_attempts',
      'not_configured',
    ];
    expect(Object.keys(ERROR_CODES).filter((c) => !defaults.includes(c) && !code.includes(`'${c}'`))).toEqual([]);
  });

  it('settings are read in lib/config.ts only (validated once), not from process.env here and there', () => {
    const readers = ['lib', 'app', 'components', 'worker']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((f) => !f.endsWith('lib/config.ts') && !f.endsWith('worker/main.ts'))
      .filter((f) => /process\.env\.[A-Z]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(readers).toEqual([]);
  });
});
