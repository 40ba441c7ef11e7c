/**
 * Errors with stable codes. UserError is the user's to fix and is shown to them politely; anything else
 * is a fault, logged with context and answered with a generic apology.
 */
export type ErrorCode =
  | 'usage'
  | 'permission_denied'
  | 'not_found'
  | 'invalid_input'
  | 'too_large'
  | 'deck_parse'
  | 'unknown_symbol'
  | 'wrong_place'
  | 'unavailable';

export class UserError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.context = context;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
