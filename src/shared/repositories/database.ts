import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

/** Repositories take either the client or an open transaction. */
export type Database = PrismaClient;
export type Transaction = Prisma.TransactionClient;
export type DatabaseOrTransaction = PrismaClient | Prisma.TransactionClient;
