// SHA-256 as lowercase hex: how every secret we hand out (API tokens, sessions, reset links) is
// stored, and how deterministic ids (Message-IDs, migration checksums) are derived.
import { createHash } from 'node:crypto';

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
