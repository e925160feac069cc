import { openApiDocument } from '@/lib/api/openapi';
import { publicRoute } from '@/lib/api/route';

/** This API's OpenAPI 3.1 document, made from the operations table (lib/api/operations.ts). */
export const GET = publicRoute('GET /openapi.json', async () => ({ ...openApiDocument() }));
