import { verifyFormResponse, verifyResponse } from '@/lib/status/pages';

export const dynamic = 'force-dynamic';
/** The form: paste a message, a link or a signed notice. */
export const GET = verifyFormResponse;
/** The verdict (a form post: the page works without script). */
export const POST = verifyResponse;
