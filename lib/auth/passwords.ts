// Password hashing with argon2id (OWASP parameters: 19 MiB, t=2, p=1).
import { hash, verify } from '@node-rs/argon2';

// `Algorithm` is a const enum the isolated-module build cannot read: 2 is Algorithm.Argon2id.
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the account does not exist, so that a wrong email and a wrong password
// take the same time and cannot be told apart.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string) {
  dummyHash ??= hashPassword('firebreak-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}
