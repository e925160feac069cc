import { staffRoute } from '@/lib/api/route';
import { searchExposure } from '@/lib/blast';

export const GET = staffRoute('GET /incidents/{id}/exposure/search', (_request, actor, { id }, { address }) =>
  searchExposure(actor, id, address),
);
