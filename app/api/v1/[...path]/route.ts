import { errorResponse } from '@/lib/api/route';
import { NotFound } from '@/lib/errors';

// Unknown API paths answer JSON, not the HTML 404 page.
const notFound = async (request: Request) =>
  errorResponse(new NotFound(`No API route ${request.method} ${new URL(request.url).pathname}.`));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
