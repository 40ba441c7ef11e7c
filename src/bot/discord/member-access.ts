import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/** What decides whether a member is an admin: their permissions in the channel and their roles. */
export interface MemberAccess {
  permissions: bigint;
  roleIds: readonly string[];
}

/**
 * Manage Server (or Administrator, which implies it) makes an admin; so does the configured role,
 * for teams that want quiz admins who cannot manage the server. `adminRoleId` is already resolved
 * from a name when one was configured.
 */
export function isAdminAccess(access: MemberAccess, adminRoleId: string | undefined): boolean {
  if (new PermissionsBitField(access.permissions).has(PermissionFlagsBits.ManageGuild)) return true;
  return adminRoleId !== undefined && access.roleIds.includes(adminRoleId);
}

/** DISCORD_ADMIN_ROLE may be a role id or a role's exact name. */
export function resolveAdminRoleId(
  configured: string | undefined,
  roles: Iterable<{ id: string; name: string }>,
): string | undefined {
  if (configured === undefined) return undefined;
  if (/^\d{17,20}$/.test(configured)) return configured;
  for (const role of roles) if (role.name === configured) return role.id;
  return undefined;
}

/**
 * The member details that arrived with interactions still being handled, so the core's admin check
 * (which only gets a user and a conversation) reads the permissions Discord computed for this very
 * interaction instead of a cache that may be stale. Counted, because the same member can have two
 * interactions in flight in one channel.
 */
export class InFlightMembers {
  private readonly entries = new Map<string, { access: MemberAccess; count: number }>();

  /** Records access for the duration of one interaction; call the returned function when it is done. */
  hold(conversation: string, userId: string, access: MemberAccess): () => void {
    const key = `${conversation}|${userId}`;
    const entry = this.entries.get(key);
    this.entries.set(key, { access, count: (entry?.count ?? 0) + 1 });
    return () => {
      const current = this.entries.get(key);
      if (!current) return;
      if (current.count <= 1) this.entries.delete(key);
      else current.count -= 1;
    };
  }

  get(conversation: string, userId: string): MemberAccess | undefined {
    return this.entries.get(`${conversation}|${userId}`)?.access;
  }
}
