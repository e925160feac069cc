import { describe, expect, it } from 'vitest';
import { CustomerUnauthenticated, checkCustomerSession, customerLogin } from '@/lib/customers/auth';
import { db } from '@/lib/db';
import { TooManyAttempts } from '@/lib/errors';
import { OLD_PASSWORD, seedCustomers } from '../../test/customers';
import { sql } from '../../test/sql';

// CUSTOMER_LOGIN_MAX_FAILURES defaults to 10.
describe('customer login throttling', () => {
  it('locks an account after 10 failures in a row; the right password is refused while locked; a success resets the count', async () => {
    await seedCustomers(3, { prefix: 'lock' });
    // Failures below the limit are forgotten by a success.
    for (let i = 0; i < 9; i++)
      await expect(customerLogin({ email: 'lock1@customers.example', password: `guess ${i}` })).rejects.toThrow(
        CustomerUnauthenticated,
      );
    const ok = await customerLogin({ email: 'lock1@customers.example', password: OLD_PASSWORD });
    expect(await checkCustomerSession(ok.sessionToken)).toMatchObject({ email: 'lock1@customers.example' });
    expect((await db.customer.findFirstOrThrow({ where: { email: 'lock1@customers.example' } })).failedLogins).toBe(0);

    for (let i = 0; i < 9; i++)
      await expect(customerLogin({ email: 'lock1@customers.example', password: `guess ${i}` })).rejects.toThrow(
        CustomerUnauthenticated,
      );
    const tenth = customerLogin({ email: 'lock1@customers.example', password: 'guess 10' });
    await expect(tenth).rejects.toThrow(TooManyAttempts);
    await expect(tenth).rejects.toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });
    await expect(customerLogin({ email: 'lock1@customers.example', password: OLD_PASSWORD })).rejects.toMatchObject({
      code: 'too_many_attempts',
    });
    // Another account is not affected.
    expect(await customerLogin({ email: 'lock2@customers.example', password: OLD_PASSWORD })).toHaveProperty(
      'sessionToken',
    );

    // When the lock runs out, the right password works again.
    await sql(
      `UPDATE "Customer" SET "loginLockedUntil" = now() - interval '1 second' WHERE email = 'lock1@customers.example'`,
    );
    expect(await customerLogin({ email: 'lock1@customers.example', password: OLD_PASSWORD })).toHaveProperty(
      'sessionToken',
    );
  });

  it('30 concurrent guesses: the account ends paused, and the right password then waits too', async () => {
    await seedCustomers(1, { prefix: 'burst' });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        customerLogin({ email: 'burst1@customers.example', password: `guess ${i}` }),
      ),
    );
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(reasons).not.toContain('ok');
    expect(reasons.filter((r) => r === 'unauthenticated').length).toBeLessThanOrEqual(29); // the 10th failure at the latest answers 429
    expect(reasons).toContain('too_many_attempts');
    await expect(customerLogin({ email: 'burst1@customers.example', password: OLD_PASSWORD })).rejects.toMatchObject({
      status: 429,
    });
  });

  it('an unknown email is a plain 401', async () => {
    await expect(
      customerLogin({ email: 'nobody@customers.example', password: 'whatever it is' }),
    ).rejects.toMatchObject({ status: 401 });
  });
});
