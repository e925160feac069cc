// Statuspage's public summary shape, so existing Statuspage clients and widgets read our page.
import { statuspageSummary } from '@/lib/status/documents';
import { cached, memo } from '@/lib/status/http';
import { withSnapshot } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';

export const GET = (request: Request) =>
  withSnapshot(async (snapshot) =>
    cached(request, snapshot, await memo(snapshot, 'summary', () => statuspageSummary(snapshot)), 'application/json'),
  );
