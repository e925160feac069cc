import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportRowError, importCustomers } from '@/lib/customers/import';
import { db } from '@/lib/db';
import { Forbidden } from '@/lib/errors';
import { staffActor } from '../../test/fixtures';
import { databaseFingerprint } from '../../test/sql';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';
const from = (text: string) => Readable.from([text]);

describe('customer import', () => {
  it('imports CSV and JSON Lines, upserting by externalId, and audits it', async () => {
    const security = await staffActor('SECURITY');
    const csv = `externalId,email,passwordHash,twoFactorEnabled,hasBalance,status\nu1,Alice@Example.com,"${HASH}",true,true,ACTIVE\nu2,bob@example.com,,false,false,\n`;
    expect(await importCustomers(security, from(csv), 'csv')).toEqual({
      rows: 2,
      created: 2,
      updated: 0,
      credentialChanges: null,
    });
    const jsonl = `{"externalId":"u2","email":"BOB@example.com","hasBalance":true}\n\n{"externalId":"u3","email":"carol@example.com","twoFactorEnabled":false}\n`;
    expect(await importCustomers(security, from(jsonl), 'jsonl')).toEqual({
      rows: 2,
      created: 1,
      updated: 1,
      credentialChanges: null,
    });
    const customers = await db.customer.findMany({ orderBy: { externalId: 'asc' } });
    expect(
      customers.map((c) => [c.externalId, c.email, c.twoFactorEnabled, c.hasBalance, c.passwordHash === HASH]),
    ).toEqual([
      ['u1', 'alice@example.com', true, true, true],
      ['u2', 'bob@example.com', false, true, false],
      ['u3', 'carol@example.com', false, false, false],
    ]);
    const events = await db.auditEvent.findMany({ where: { action: 'customers.imported' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.data)).toMatchObject([
      { rows: 2, created: 2, updated: 0 },
      // The audit names each changed customer and field.
      {
        rows: 2,
        created: 1,
        updated: 1,
        changed: { hasBalance: 1, twoFactorEnabled: 0, status: 0 },
        customers: [{ externalId: 'u2', fields: ['hasBalance'] }],
        moreChanged: false,
      },
    ]);
  });

  it.each([
    ['another email', '{"externalId":"victim","email":"attacker@evil.example"}', 'email'],
    [
      'a password hash where there was none',
      `{"externalId":"victim","email":"victim@example.com","passwordHash":"${HASH}"}`,
      'password hash',
    ],
  ])(
    'refuses to give an existing customer %s (an account takeover), names the line, applies nothing',
    async (_what, row, field) => {
      const security = await staffActor('SECURITY');
      await importCustomers(security, from('externalId,email\nvictim,victim@example.com\n'), 'csv');
      const before = await databaseFingerprint();
      const error = await importCustomers(
        security,
        from(`{"externalId":"fine","email":"fine@example.com"}\n${row}\n`),
        'jsonl',
      ).catch((e) => e);
      expect(error).toMatchObject({ code: 'credential_change_refused', status: 400, line: 2 });
      expect(error.message).toContain(field);
      expect(await databaseFingerprint()).toEqual(before);
    },
  );

  it.each([
    ['csv', 'externalId,email\nok1,ok1@example.com\nbad,not-an-email\n', 3, 'email'],
    ['csv', 'externalId,email,passwordHash\nok1,ok1@example.com,plaintext-password\n', 2, 'argon2'],
    ['csv', 'externalId,email\nx,x@example.com\ny,y@example.com\nx,x2@example.com\n', 4, 'appears again'],
    ['csv', 'externalId,email\nok1,ok1@example.com,extra\n', 2, 'CSV'],
    ['jsonl', '{"externalId":"j1","email":"j1@example.com"}\n{"externalId":"j2","email":\n', 2, 'JSON'],
    ['jsonl', '{"externalId":"j1","email":"j1@example.com"}\n{"email":"j2@example.com"}\n', 2, 'externalId'],
  ] as const)(
    'a bad %s row is reported by line number and nothing is applied (%#)',
    async (format, text, line, message) => {
      const security = await staffActor('SECURITY');
      const before = await db.customer.count();
      const error = await importCustomers(security, from(text), format).catch((e) => e);
      expect(error).toBeInstanceOf(ImportRowError);
      expect(error.line).toBe(line);
      expect(error.message).toContain(`Line ${line}`);
      expect(error.message).toContain(message);
      expect(await db.customer.count()).toBe(before);
    },
  );

  it('COMMS and EXECUTIVE cannot import', async () => {
    for (const role of ['COMMS', 'EXECUTIVE'] as const) {
      await expect(
        importCustomers(await staffActor(role), from('externalId,email\na,a@example.com\n'), 'csv'),
      ).rejects.toThrow(Forbidden);
    }
  });

  it('a 1,000,000-line file with a bad row at line 700,001 is streamed, reports that line, and changes nothing', async () => {
    const security = await staffActor('SECURITY');
    const before = await db.customer.count();
    let produced = 0;
    const BAD = 700_001;
    const source = Readable.from(
      (function* () {
        yield 'externalId,email,twoFactorEnabled,hasBalance\n';
        for (let line = 2; line <= 1_000_000; line += 1000) {
          let chunk = '';
          for (let l = line; l < line + 1000 && l <= 1_000_000; l++) {
            chunk +=
              l === BAD ? `c${l},this is not an email,false,true\n` : `c${l},c${l}@example.com,false,${l % 2 === 0}\n`;
            produced++;
          }
          yield chunk;
        }
      })(),
    );
    const error = await importCustomers(security, source, 'csv').catch((e) => e);
    expect(error).toBeInstanceOf(ImportRowError);
    expect(error.line).toBe(BAD);
    expect(produced).toBeLessThan(1_000_000); // streamed: reading stopped at the bad row, the file was never held whole
    expect(await db.customer.count()).toBe(before);
  }, 120_000);
});
