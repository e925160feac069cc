// The public status page (no login): served from the in-memory snapshot (lib/status).
import { homeResponse } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';
export const GET = homeResponse;
