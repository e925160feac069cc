import { publicRoute } from '@/lib/api/route';
import { statusJson } from '@/lib/status/documents';
import { cached, memo } from '@/lib/status/http';
import { withSnapshot } from '@/lib/status/pages';

/** Public: the status page as JSON, from the snapshot, with validators. */
export const GET = publicRoute('GET /status', async (request) =>
  withSnapshot(async (snapshot) =>
    cached(request, snapshot, await memo(snapshot, 'status-json', () => statusJson(snapshot)), 'application/json'),
  ),
);
