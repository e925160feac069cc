import { publicRoute } from '@/lib/api/route';
import { statusJsonResponse } from '@/lib/status/pages';

/** Public: the status page as JSON, from the snapshot, with validators. */
export const GET = publicRoute('GET /status', (request) => statusJsonResponse(request));
