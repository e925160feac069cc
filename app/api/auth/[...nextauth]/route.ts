import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/next-auth';

// Options are built per request so that configuration is read at run time, not at build time.
function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
