import { NextResponse } from 'next/server';
import { errorResponse } from '@/lib/api/route';
import { noticeJwks } from '@/lib/disclosures/signing';

export const dynamic = 'force-dynamic';

/** The public keys that sign notices (JWKS, Ed25519): the current one and those it replaced. */
export async function GET() {
  try {
    return NextResponse.json(noticeJwks(), { headers: { 'cache-control': 'public, max-age=300' } });
  } catch (error) {
    return errorResponse(error);
  }
}
