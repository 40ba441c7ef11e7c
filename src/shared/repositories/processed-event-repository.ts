import type { Database } from './database.js';

/**
 * Claims a platform delivery id. Returns false when it was already claimed, i.e. this is a redelivery
 * (a Slack retry, a replayed gateway event) that must not be processed again.
 */
export async function claimDelivery(db: Database, key: string): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "ProcessedEvent" ("key", "processedAt") VALUES (${key}, now()) ON CONFLICT ("key") DO NOTHING`;
  return inserted === 1;
}

/** Gives a claim back when processing failed, so the platform's retry is processed. */
export async function releaseDelivery(db: Database, key: string): Promise<void> {
  await db.processedEvent.deleteMany({ where: { key } });
}
