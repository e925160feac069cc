// The permission matrix of the server actions, as data: every action the production build
// exposes (read from its server-reference manifest, so a new action without a row fails) is
// called as an attacker would — a POST with its action id, not through our forms — by every kind
// of caller: nobody, a forged cookie, an API token (actions take sessions only), the session of an
// account disabled after it signed in, and each role. Expected outcomes come from the role table
// (lib/auth/policy.ts), not from a copy of it. The API routes have the same matrix in
// lib/api/routes.test.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PERMISSIONS, type Permission } from '../lib/auth/policy';
import { demoEmail, E2E_PASSWORD, E2E_PORT, ROLES } from './config';
import { ownToken, signInAs } from './helpers';
import { type APIRequestContext, type Browser, expect, test } from './test';

// React's own encoder of server action arguments (what the browser runs), from Next's build of it.
const { encodeReply } = createRequire(import.meta.url)('next/dist/compiled/react-server-dom-turbopack/client.node') as {
  encodeReply: (args: unknown[]) => Promise<string | FormData>;
};

type Context = { incident: string };
type Row = {
  /** Who may: a permission of the role table, `self` (any signed-in staff, on their own account) or `public`. */
  who: Permission | 'self' | 'public';
  /** The page that serves the action, and its arguments before the form (bound values, previous state). */
  page: (c: Context) => string;
  args: (c: Context) => unknown[];
  /** Form fields: chosen so that an allowed caller is stopped by validation or a missing target, never writes much. */
  form?: Record<string, string>;
};

const ACTIONS: Record<string, Row> = {
  declareIncidentAction: { who: 'incident.declare', page: () => '/incidents/new', args: () => [{}] },
  updateIncidentAction: {
    who: 'incident.update',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, {}],
  },
  freezeForIncidentAction: {
    who: 'mail.freeze',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, {}],
    form: { reason: '' }, // no reason: refused before anything is frozen
  },
  resumeResetMailAction: {
    who: 'mail.freeze',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, '00000000-0000-4000-8000-000000000000', {}],
    form: { reason: 'matrix probe' }, // no such campaign
  },
  markAffectedAction: {
    who: 'incident.update',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, {}],
    form: { identifiers: '' }, // nothing named: refused before anything is written
  },
  markExposedAffectedAction: {
    who: 'incident.update',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, {}],
    form: { version: '0' }, // no such version: refused before anything is written
  },
  searchExposureAction: {
    who: 'console.read',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, {}],
    form: { address: 'nobody@nowhere.example' },
  },
  addNoteAction: { who: 'incident.note', page: (c) => `/incidents/${c.incident}`, args: (c) => [c.incident, {}] },
  recordMilestoneAction: {
    who: 'incident.update',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, {}],
  },
  requestResetAction: {
    who: 'reset.request',
    page: (c) => `/incidents/${c.incident}`,
    args: () => ['no-such-incident', {}],
  },
  decideResetAction: {
    who: 'reset.approve',
    page: (c) => `/incidents/${c.incident}`,
    args: (c) => [c.incident, '00000000-0000-4000-8000-000000000000', {}],
    form: { decision: 'approve' },
  },
  freezeAction: { who: 'mail.freeze', page: () => '/mail', args: () => [{}] },
  unfreezeAction: { who: 'mail.freeze', page: () => '/mail', args: () => [{}] },
  heldMessageAction: {
    who: 'mail.release',
    page: () => '/mail',
    args: () => ['00000000-0000-4000-8000-000000000000', {}],
    form: { operation: 'cancel' },
  },
  heldAction: { who: 'mail.release', page: () => '/mail', args: () => [{}], form: { operation: 'release' } },
  createTokenAction: { who: 'token.create', page: () => '/profile', args: () => [{}] },
  revokeTokenAction: {
    who: 'self',
    page: () => '/profile',
    args: () => [{}],
    form: { id: '00000000-0000-4000-8000-000000000000' },
  },
  beginTotpAction: { who: 'self', page: () => '/profile', args: () => [] },
  confirmTotpAction: { who: 'self', page: () => '/profile', args: () => [{}], form: { code: '000000' } },
  disableTotpAction: { who: 'self', page: () => '/profile', args: () => [{}] },
  changePasswordAction: {
    who: 'self',
    page: () => '/profile',
    args: () => [{}],
    form: { currentPassword: 'not the password', newPassword: 'a long enough new password' },
  },
  createStaffAction: { who: 'staff.manage', page: () => '/staff', args: () => [{}] },
  createWebhookAction: {
    who: 'webhooks.manage',
    page: () => '/integrations',
    args: () => [{}],
    form: { url: '' }, // no URL: refused before anything is written
  },
  disableWebhookAction: {
    who: 'webhooks.manage',
    page: () => '/integrations',
    args: () => [{}],
    form: { id: '00000000-0000-4000-8000-000000000000' },
  },
  replayWebhookAction: {
    who: 'webhooks.manage',
    page: () => '/integrations',
    args: () => [{}],
    form: { id: '00000000-0000-4000-8000-000000000000' },
  },
  resetTotpAction: {
    who: 'staff.manage',
    page: () => '/staff',
    args: () => [{}],
    form: { email: 'nobody@example.com' },
  },
  unlockStaffAction: {
    who: 'staff.manage',
    page: () => '/staff',
    args: () => [{}],
    form: { email: 'nobody@example.com' },
  },
  manageStaffAction: {
    who: 'staff.manage',
    page: () => '/staff',
    args: () => [{}],
    form: { email: 'nobody@example.com', operation: 'disable', reason: 'matrix probe' },
  },
  decideCredentialChangesAction: {
    who: 'customers.import',
    page: () => '/customers',
    args: () => ['00000000-0000-4000-8000-000000000000', {}],
    form: { decision: 'approve' },
  },
  createDisclosureAction: {
    who: 'disclosure.draft',
    page: (c) => `/incidents/${c.incident}`,
    args: () => ['no-such-incident', {}],
  },
  reviseDisclosureAction: {
    who: 'disclosure.draft',
    page: () => '/disclosures',
    args: () => ['00000000-0000-4000-8000-000000000000', {}],
    form: { title: 'T', body: 'B' },
  },
  decideDisclosureAction: {
    who: 'disclosure.approve', // the step sent: approve (submit and publish are disclosure.draft / .publish, checked the same way in lib/disclosures)
    page: () => '/disclosures',
    args: () => ['00000000-0000-4000-8000-000000000000', {}],
    form: { step: 'approve', revision: '1', contentHash: 'a'.repeat(64) },
  },
  addChannelAction: {
    who: 'channel.mark',
    page: () => '/channels',
    args: () => [{}],
    form: { name: 'X', kind: 'FAX', handle: '@matrix' }, // an unknown kind: refused before anything is written
  },
  markChannelAction: {
    who: 'channel.mark',
    page: () => '/channels',
    args: () => [{}],
    form: { channel: '00000000-0000-4000-8000-000000000000', status: 'COMPROMISED', reason: 'matrix probe' },
  },
  resetPasswordAction: {
    who: 'public',
    page: () => '/account/reset/not-a-token',
    args: () => ['not-a-token', {}],
    form: { password: 'x' },
  },
};

type Outcome = 'signin' | 'forbidden' | 'passed';
type Principal = {
  name: string;
  request: APIRequestContext;
  role?: (typeof ROLES)[number];
  headers?: Record<string, string>;
};

function manifest(): Map<string, string> {
  const file = join(process.cwd(), '.next/server/server-reference-manifest.json');
  const { node } = JSON.parse(readFileSync(file, 'utf8')) as { node: Record<string, { exportedName: string }> };
  return new Map(Object.entries(node).map(([id, entry]) => [entry.exportedName, id]));
}

async function call(
  principal: Principal,
  id: string,
  row: Row,
  c: Context,
): Promise<{ outcome: Outcome; detail: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(row.form ?? {})) form.append(name, value);
  const args = row.args(c);
  const body = await encodeReply(row.args(c).length === 0 && !row.form ? [] : [...args, form]);
  const response = await principal.request.post(row.page(c), {
    headers: {
      'next-action': id,
      accept: 'text/x-component',
      origin: `http://localhost:${E2E_PORT}`,
      ...principal.headers,
    },
    ...(typeof body === 'string' ? { data: body } : { multipart: body }),
    maxRedirects: 0,
  });
  const text = await response.text();
  const redirect = response.headers()['x-action-redirect'] ?? response.headers().location ?? '';
  if (redirect.startsWith('/signin')) return { outcome: 'signin', detail: redirect };
  if (/may not|does not allow/.test(text)) return { outcome: 'forbidden', detail: text.slice(0, 200) };
  expect(response.status(), `${row.page(c)} answered ${response.status()}: ${text.slice(0, 300)}`).toBeLessThan(500);
  return { outcome: 'passed', detail: text.slice(0, 200) };
}

function expected(row: Row, principal: Principal): Outcome {
  if (row.who === 'public') return 'passed';
  if (!principal.role) return 'signin';
  if (row.who === 'self') return 'passed';
  return (PERMISSIONS[row.who] as readonly string[]).includes(principal.role) ? 'passed' : 'forbidden';
}

async function sessionOf(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email);
  return context;
}

test('every server action answers every kind of caller as the role table says', async ({ browser, playwright }) => {
  test.setTimeout(180_000);
  const ids = manifest();
  // A new action without a row fails here; a row for an action that no longer exists too.
  expect([...ids.keys()].sort()).toEqual(Object.keys(ACTIONS).sort());

  const contexts = [];
  const principals: Principal[] = [];
  try {
    for (const role of ROLES) {
      const context = await sessionOf(browser, demoEmail(role));
      contexts.push(context);
      principals.push({ name: role, role, request: context.request });
    }
    const admin = principals[0].request;
    const incident = (
      await (
        await admin.post('/api/v1/incidents', {
          data: { title: 'Action matrix', kind: 'DATA_BREACH', severity: 'SEV3', summary: 'matrix' },
        })
      ).json()
    ).reference as string;
    const c: Context = { incident };

    // A SECURITY account, signed in, then disabled by an ADMIN: its cookie must be worth nothing.
    const leaver = `matrix-leaver-${Date.now()}@example.com`;
    expect(
      (
        await admin.post('/api/v1/staff', {
          data: { email: leaver, name: 'Leaver', role: 'SECURITY', password: E2E_PASSWORD },
        })
      ).status(),
    ).toBe(201);
    const disabled = await sessionOf(browser, leaver);
    contexts.push(disabled);
    expect(
      (
        await admin.post('/api/v1/staff/disable', { data: { email: leaver, reason: 'matrix: stolen laptop' } })
      ).status(),
    ).toBe(200);

    const anonymous = await playwright.request.newContext({ baseURL: `http://localhost:${E2E_PORT}` });
    const token = await ownToken(browser, 'ADMIN', 'matrix probe');
    principals.push(
      { name: 'anonymous', request: anonymous },
      {
        name: 'forged cookie',
        request: anonymous,
        headers: {
          cookie: 'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.forged.forged.forged',
        },
      },
      {
        name: 'ADMIN API token (actions take sessions only)',
        request: anonymous,
        headers: { authorization: `Bearer ${token}` },
      },
      { name: 'disabled account', request: disabled.request },
    );

    const mismatches: string[] = [];
    for (const [name, row] of Object.entries(ACTIONS)) {
      for (const principal of principals) {
        const got = await call(principal, ids.get(name)!, row, c);
        const want = expected(row, principal);
        if (got.outcome !== want)
          mismatches.push(`${name} as ${principal.name}: expected ${want}, got ${got.outcome} (${got.detail})`);
      }
    }
    expect(mismatches).toEqual([]);
    await anonymous.dispose();
  } finally {
    for (const context of contexts) await context.close();
  }
});
