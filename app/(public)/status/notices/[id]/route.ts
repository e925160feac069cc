import { noticeResponse } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';

/** A notice: its newest revision, every published revision with its time and what changed, each signed. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return noticeResponse(request, (await context.params).id);
}
