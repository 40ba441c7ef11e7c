/** "due now", "due in 3 days", "due 2 days ago" — relative, so no time zone is needed. */
export function formatDue(due: Date, now: Date): string {
  const days = Math.round((due.getTime() - now.getTime()) / (24 * 3600 * 1000));
  if (due.getTime() <= now.getTime()) return days <= -1 ? `Due ${-days} day${days === -1 ? '' : 's'} ago.` : 'Due now.';
  if (days === 0) return 'Due later today.';
  return `Comes back in ${days} day${days === 1 ? '' : 's'} (${due.toISOString().slice(0, 10)}).`;
}

export function formatPercent(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value * 100)}%`;
}
