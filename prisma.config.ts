// Prisma CLI configuration (generate, validate, format). Migrations are applied by the project's
// own runner (lib/db/migrate.ts); see README "Database migrations".
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
