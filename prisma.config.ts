import { defineConfig } from 'prisma/config';

// DATABASE_URL is only read by Prisma CLI commands that talk to a database (migrate deploy, studio);
// generate needs none. The app itself connects through src/shared/db/client.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/quizcast' },
});
