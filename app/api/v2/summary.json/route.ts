// Statuspage's public summary shape, so existing Statuspage clients and widgets read our page.
import { summaryResponse } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';
export const GET = summaryResponse;
