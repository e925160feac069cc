import { staffRoute } from '@/lib/api/route';
import { blastRadius } from '@/lib/blast';

export const GET = staffRoute('GET /incidents/{id}/exposure', (_request, actor, { id }) => blastRadius(actor, id));
