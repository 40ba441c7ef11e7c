import type { GatewayStandIn } from './gateway.js';
import type { UploadedFile } from './http-body.js';
import type { World } from './world.js';

export interface RestContext {
  world: World;
  gateway: GatewayStandIn;
  /** The stand-in's http base, for URLs in payloads (CDN, gateway). */
  base: string;
  params: Record<string, string>;
  query: URLSearchParams;
  json: unknown;
  files: UploadedFile[];
}

export interface RestReply {
  status: number;
  json?: unknown;
}

/** Discord's error body: a numeric JSON error code, a message, and per-field errors for form errors. */
export function discordError(status: number, code: number, message: string, errors?: Record<string, string>): RestReply {
  const body: Record<string, unknown> = { message, code };
  if (errors) {
    body.errors = Object.fromEntries(
      Object.entries(errors).map(([field, text]) => [field, { _errors: [{ code: 'BASE_TYPE_INVALID', message: text }] }]),
    );
  }
  return { status, json: body };
}

export const noContent: RestReply = { status: 204 };
