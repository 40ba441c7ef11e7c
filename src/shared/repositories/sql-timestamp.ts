/**
 * A UTC instant as the text of a `timestamp(3)` (without time zone) value, the way Prisma stores
 * DateTime: for arrays passed to `unnest(...::timestamp(3)[])`, where the driver cannot convert Dates.
 */
export function sqlTimestamp(at: Date | number): string {
  return new Date(at).toISOString().replace('T', ' ').replace('Z', '');
}
