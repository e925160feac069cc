// The OpenAPI 3.1 document of /api/v1 (served at /api/v1/openapi.json), made from the operations
// table and its zod views with zod-openapi: what integrators' tools read, and what the contract
// test checks every real answer against.
import 'server-only';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { PERMISSIONS } from '@/lib/auth/policy';
import { publicUrl } from '@/lib/config';
import packageJson from '@/package.json';
import { OPERATIONS, type Operation, TAGS } from './operations';
import { ErrorView } from './views';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorView } },
});

/** Who may call it, for people reading the document. */
const who = (spec: Operation) =>
  spec.permission === 'public'
    ? 'Public: no credentials.'
    : `Roles: ${PERMISSIONS[spec.permission].join(', ')} (permission \`${spec.permission}\`).`;

/** `GET /incidents/{id}` → its path parameters as a zod object. */
function pathParams(path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return names.length ? z.object(Object.fromEntries(names.map((name) => [name, z.string()]))) : undefined;
}

function operationObject(key: string, spec: Operation): ZodOpenApiOperationObject {
  const [method, path] = key.split(' ');
  const success = {
    description: spec.raw?.description ?? spec.summary,
    content: Object.fromEntries(
      (spec.raw?.contentTypes ?? ['application/json']).map((type) => [
        type,
        { schema: type === 'text/csv' ? z.string() : spec.response },
      ]),
    ),
  };
  // The same view, or (when the database is away) the error every route answers with.
  const degraded = {
    description: `${spec.summary}: degraded, or the database is away`,
    content: { 'application/json': { schema: z.union([spec.response, ErrorView]) } },
  };
  const params = pathParams(path);
  return {
    operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: spec.summary,
    description: [spec.description, who(spec)].filter(Boolean).join('\n\n'),
    tags: [spec.tag],
    security: spec.permission === 'public' ? [] : [{ token: [] }, { session: [] }],
    ...(params || spec.query
      ? { requestParams: { ...(params ? { path: params } : {}), ...(spec.query ? { query: spec.query } : {}) } }
      : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body } } } }
      : spec.rawBody
        ? {
            requestBody: {
              required: true,
              description: spec.rawBody.description,
              content: Object.fromEntries(spec.rawBody.contentTypes.map((type) => [type, { schema: z.string() }])),
            },
          }
        : {}),
    responses: {
      [spec.status]: success,
      ...Object.fromEntries((spec.alsoStatus ?? []).map((status) => [status, degraded])),
      '4XX': errorResponse('The request was refused: see `error` (README, "Error codes").'),
      '5XX': errorResponse('A server-side failure; 503 `unavailable` with Retry-After while the database is away.'),
    },
  };
}

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument() {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const [key, spec] of Object.entries(OPERATIONS) as [string, Operation][]) {
    const [method, path] = key.split(' ');
    paths[path] = { ...paths[path], [method.toLowerCase()]: operationObject(key, spec) };
  }
  cached = createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Firebreak API',
        version: packageJson.version,
        description:
          'The incident response console of a crypto exchange, as a JSON API. Every error is `{ error, message }` with a stable code.',
        license: { name: packageJson.license, identifier: packageJson.license },
      },
      servers: [{ url: '/api/v1', description: 'This console' }],
      tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'An API token (Tokens page or `firebreak token`).' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            // next-auth's name for its cookie: with the __Secure- prefix when the console is served over HTTPS.
            name: `${publicUrl()?.startsWith('https://') ? '__Secure-' : ''}next-auth.session-token`,
            description: 'A signed-in console session (writes only from the console origin).',
          },
        },
      },
      paths,
    },
    { outputIdSuffix: '' },
  );
  return cached;
}
