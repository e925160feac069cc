import { historyResponse } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';
/** Every published notice, newest change first, 20 a page (?page=N). */
export const GET = historyResponse;
