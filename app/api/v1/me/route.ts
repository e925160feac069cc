import { json, staffRoute } from '@/lib/api/route';

export const GET = staffRoute(async (_request, actor) =>
  json({ id: actor.id, email: actor.email, name: actor.name, role: actor.role, via: actor.via }),
);
