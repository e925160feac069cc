import { staffRoute } from '@/lib/api/route';

export const GET = staffRoute('GET /me', async (_request, actor) => actor);
