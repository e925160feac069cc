import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { actorFromBearer, createApiToken } from '@/lib/auth/tokens';
import { db } from '@/lib/db';
import { Forbidden, NotFound } from '@/lib/errors';
import { staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';

const admin = systemActor('test');

describe('API tokens', () => {
  it("act with their owner's current role, and only a hash is stored", async () => {
    const owner = await staffActor('COMMS');
    const { token } = await createApiToken(admin, { ownerEmail: owner.email, name: 'ci' });
    expect(token).toMatch(/^fbk_[A-Za-z0-9_-]{43}$/);
    expect(await actorFromBearer(token)).toMatchObject({ id: owner.id, role: 'COMMS', via: 'token' });
    const rows = await sql(`SELECT * FROM "ApiToken" WHERE row_to_json("ApiToken")::text LIKE $1`, [
      `%${token.slice(4)}%`,
    ]);
    expect(rows).toHaveLength(0);
    await db.staffUser.update({ where: { id: owner.id }, data: { role: 'EXECUTIVE' } });
    expect(await actorFromBearer(token)).toMatchObject({ role: 'EXECUTIVE' });
  });

  it('stop working when revoked, expired, or the owner is disabled', async () => {
    const owner = await staffActor('SECURITY');
    const revoked = await createApiToken(admin, { ownerEmail: owner.email, name: 'revoked' });
    await db.apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expect(await actorFromBearer(revoked.token)).toBeNull();

    const expired = await createApiToken(admin, { ownerEmail: owner.email, name: 'expired', expiresInDays: 1 });
    await db.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await actorFromBearer(expired.token)).toBeNull();

    const live = await createApiToken(admin, { ownerEmail: owner.email, name: 'live' });
    expect(await actorFromBearer(live.token)).not.toBeNull();
    await db.staffUser.update({ where: { id: owner.id }, data: { disabledAt: new Date() } });
    expect(await actorFromBearer(live.token)).toBeNull();

    expect(await actorFromBearer('fbk_not-a-real-token')).toBeNull();
    expect(await actorFromBearer('Basic abc')).toBeNull();
  });

  it('each staff member creates tokens for their own account only; the CLI names an existing account', async () => {
    const comms = await staffActor('COMMS');
    const security = await staffActor('SECURITY');
    expect(await createApiToken(comms, { name: 'mine' })).toMatchObject({ owner: comms.email });
    expect(await createApiToken(security, { ownerEmail: security.email, name: 'mine too' })).toMatchObject({
      owner: security.email,
    });
    await expect(createApiToken(comms, { ownerEmail: security.email, name: 'theirs' })).rejects.toThrow(Forbidden);
    await expect(createApiToken(admin, { ownerEmail: 'ghost@test.local', name: 'x' })).rejects.toThrow(NotFound);
    await expect(createApiToken(admin, { name: 'no owner' })).rejects.toMatchObject({ status: 400 });
    expect(await db.apiToken.count({ where: { ownerId: { in: [comms.id, security.id] } } })).toBe(2);
  });
});
