// Prisma 7 reads its settings here. Only `prisma generate` is used (on install): migrations
// are plain SQL applied by the test harness, so no database URL is needed.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'shared/db/schema.prisma',
});
