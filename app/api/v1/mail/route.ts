import { staffRoute } from '@/lib/api/route';
import { mailOverview } from '@/lib/mail/status';

export const GET = staffRoute('GET /mail', async (_request, actor) => mailOverview(actor));
