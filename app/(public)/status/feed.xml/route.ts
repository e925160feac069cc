import { feedResponse } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';
/** Atom: one entry per published revision. */
export const GET = feedResponse;
