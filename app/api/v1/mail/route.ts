import { json, staffRoute } from '@/lib/api/route';
import { mailOverview } from '@/lib/mail/status';

export const GET = staffRoute(async (_request, actor) => json(await mailOverview(actor)));
