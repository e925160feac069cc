import { publicRoute, readBody } from '@/lib/api/route';
import { verifyNotice } from '@/lib/disclosures/verify';

/** Public: {notice, signature, kid} as we publish it, or {text} as received → authentic (which notice) or not. */
export const POST = publicRoute('POST /notices/verify', async (request) => verifyNotice(await readBody(request)));
