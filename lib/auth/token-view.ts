// API tokens as the console's client components receive them (dates as ISO strings).

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  owner: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  scope: string | null;
  active: boolean;
};

type Listed = {
  id: string;
  name: string;
  prefix: string;
  owner: string;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  scope: string | null;
  active: boolean;
};

export const tokenRows = (tokens: Listed[]): TokenRow[] =>
  tokens.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    owner: t.owner,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    scope: t.scope,
    active: t.active,
  }));
