import type { Prisma } from '../../generated/prisma/client.js';
import type { Database } from './database.js';

/** Stores a trained model as the symbol's next version (versions are dense and never reused). */
export async function savePriceModel(
  db: Database,
  input: { symbol: string; dataThrough: string; published: string; metrics: unknown; artifact: unknown },
): Promise<{ id: number; version: number }> {
  return db.$transaction(async (tx) => {
    const symbol = await tx.symbol.findUniqueOrThrow({ where: { code: input.symbol }, select: { id: true } });
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7302, ${symbol.id}::int)`;
    const latest = await tx.priceModel.findFirst({
      where: { symbolId: symbol.id },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    const version = (latest?.version ?? 0) + 1;
    const row = await tx.priceModel.create({
      data: {
        symbolId: symbol.id,
        version,
        dataThrough: input.dataThrough,
        published: input.published,
        metrics: input.metrics as Prisma.InputJsonValue,
        artifact: input.artifact as Prisma.InputJsonValue,
      },
      select: { id: true, version: true },
    });
    return row;
  });
}
