import { UserError } from '../errors.js';
import type { RequestContext } from './context.js';

/** Preconditions are small reusable checks run before a handler; each throws a UserError to refuse. */
export type Precondition = (context: RequestContext) => Promise<void>;

export const requireAdmin: Precondition = async (context) => {
  if (!(await context.isAdmin())) {
    throw new UserError('permission_denied', 'Only an admin of this server or workspace can do that. Nothing was changed.');
  }
};
