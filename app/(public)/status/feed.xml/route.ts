import { atomFeed } from '@/lib/status/documents';
import { cached, memo } from '@/lib/status/http';
import { withSnapshot } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';

/** Atom: one entry per published revision. */
export const GET = (request: Request) =>
  withSnapshot(async (snapshot) =>
    cached(
      request,
      snapshot,
      await memo(snapshot, 'feed', () => atomFeed(snapshot)),
      'application/atom+xml; charset=utf-8',
    ),
  );
