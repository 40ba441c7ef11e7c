import type { ConversationRef } from '../chat/types.js';
import { localDate } from '../time.js';
import type { Database } from './database.js';

export interface UserStats {
  reviews: number;
  /** Share of ratings of 3 or more (FSRS: anything but Again counts as recalled). */
  retention: number | undefined;
  /** Consecutive days, ending today or yesterday, with at least one rating. */
  streakDays: number;
}

export async function loadUserStats(db: Database, userId: string, now: Date, timeZone: string): Promise<UserStats> {
  const ratings = await db.rating.findMany({ where: { userId }, select: { value: true, ratedAt: true } });
  const recalled = ratings.filter((rating) => rating.value >= 3).length;
  const days = new Set(ratings.map((rating) => localDate(rating.ratedAt, timeZone)));
  return {
    reviews: ratings.length,
    retention: ratings.length === 0 ? undefined : recalled / ratings.length,
    streakDays: streakEndingNear(days, now, timeZone),
  };
}

function streakEndingNear(days: Set<string>, now: Date, timeZone: string): number {
  const dayMs = 24 * 60 * 60 * 1000;
  let cursor = now;
  if (!days.has(localDate(cursor, timeZone))) cursor = new Date(cursor.getTime() - dayMs);
  let streak = 0;
  while (days.has(localDate(cursor, timeZone))) {
    streak += 1;
    cursor = new Date(cursor.getTime() - dayMs);
  }
  return streak;
}

export interface LeaderboardRow {
  userId: string;
  displayName: string;
  reviews: number;
}

export async function loadLeaderboard(db: Database, conversation: ConversationRef, limit = 10): Promise<LeaderboardRow[]> {
  const grouped = await db.rating.groupBy({
    by: ['userId'],
    where: { post: { conversation: { ref: conversation } }, user: { statsOptOut: false } },
    _count: { _all: true },
    orderBy: [{ _count: { userId: 'desc' } }, { userId: 'asc' }],
    take: limit,
  });
  const users = await db.chatUser.findMany({
    where: { id: { in: grouped.map((row) => row.userId) } },
    select: { id: true, displayName: true },
  });
  const names = new Map(users.map((user) => [user.id, user.displayName]));
  return grouped.map((row) => ({
    userId: row.userId,
    displayName: names.get(row.userId) ?? row.userId,
    reviews: row._count._all,
  }));
}

export async function setStatsOptOut(
  db: Database,
  user: { id: string; displayName: string },
  optOut: boolean,
): Promise<void> {
  await db.chatUser.upsert({
    where: { id: user.id },
    create: { id: user.id, displayName: user.displayName, statsOptOut: optOut },
    update: { statsOptOut: optOut },
  });
}
