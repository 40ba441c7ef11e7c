import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackState } from './state.js';
import { BOT_TOKEN } from './wire.js';

/** What the stand-in saw: every Web API call (refused ones too), file bytes and response_url posts. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  status: number;
  response: Record<string, unknown>;
  at: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

type Waiter = { test: () => boolean; resolve: () => void };

/** Slack grants the scopes in the manifest; the client reads them back from this header. */
const GRANTED_SCOPES = 'chat:write,commands,reactions:read,reactions:write,users:read,files:read,files:write';
/** Slack lets a response_url be used five times. */
const RESPONSE_URL_USES = 5;

/**
 * A local Slack: the Web API methods the adapter uses at /api/<method>, the upload URLs files.uploadV2
 * posts bytes to, url_private downloads, and response_urls. Answers are Slack's shapes (HTTP 200 with
 * ok:false for errors, 429 + Retry-After when rate limited), so the real @slack/web-api client runs
 * against it unchanged.
 */
export class SlackStandIn {
  readonly calls: RecordedCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  /** url_private GETs: which file, and whether they carried the bot token. */
  readonly downloads: { fileId: string; authorized: boolean }[] = [];
  readonly state: SlackState;
  private readonly rateLimits = new Map<string, number>();
  private readonly responseUses = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  private responseSequence = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.state = new SlackState(url);
  }

  static async start(): Promise<SlackStandIn> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const standIn = new SlackStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => {
      standIn.route(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    return standIn;
  }

  /** Point SLACK_API_URL here. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A fresh response_url, as Slack puts in each command and interaction. */
  responseUrl(): string {
    this.responseSequence += 1;
    return `${this.url}/commands/${this.state.teamId}/${this.responseSequence}/response`;
  }

  /** The next call of `method` is answered 429 with Retry-After, once. */
  rateLimitOnce(method: string, retryAfterSeconds: number): void {
    this.rateLimits.set(method, retryAfterSeconds);
  }

  callsTo(method: string, ok?: boolean): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && (ok === undefined || call.response.ok === ok));
  }

  /** Resolves once a recorded call or response_url post satisfies `test` (already or later). */
  waitUntil(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  waitForCall(method: string, match: (call: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
    const find = () => this.calls.find((call) => call.method === method && call.response.ok === true && match(call));
    return this.waitUntil(() => find() !== undefined).then(() => find()!);
  }

  waitForResponse(match: (post: ResponseUrlPost) => boolean = () => true): Promise<ResponseUrlPost> {
    const find = () => this.responses.find(match);
    return this.waitUntil(() => find() !== undefined).then(() => find()!);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', this.url).pathname;
    const body = await readBody(request);
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (api?.[1] && request.method === 'POST') return this.api(api[1], request, body, response);
    const upload = /^\/upload\/v1\/([\w-]+)$/.exec(path);
    if (upload?.[1] && request.method === 'POST') {
      const bytes = await uploadedBytes(request.headers['content-type'] ?? '', body);
      const ok = this.state.receiveUpload(upload[1], bytes);
      response.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' }).end(ok ? `OK - ${bytes.length}` : 'upload_not_found');
      return;
    }
    const download = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/(?:download\/)?[^/]+$/.exec(path);
    if (download?.[1] && request.method === 'GET') return this.download(download[1], request, response);
    const respondTo = /^\/commands\/[A-Z0-9]+\/(\d+)\/response$/.exec(path);
    if (respondTo?.[1] && request.method === 'POST') return this.responseUrlPost(respondTo[1], body, response);
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private api(method: string, request: IncomingMessage, raw: Buffer, response: ServerResponse): void {
    const call = { method, args: parseArgs(request.headers['content-type'] ?? '', raw), at: Date.now() };
    const retryAfter = this.rateLimits.get(method);
    if (retryAfter !== undefined) {
      this.rateLimits.delete(method);
      this.answer(response, call, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? (call.args.token as string | undefined);
    if (!bearer) this.answer(response, call, 200, { ok: false, error: 'not_authed' });
    else if (bearer !== BOT_TOKEN) this.answer(response, call, 200, { ok: false, error: 'invalid_auth' });
    else this.answer(response, call, 200, this.state.call(method, call.args));
  }

  private answer(
    response: ServerResponse,
    call: Omit<RecordedCall, 'status' | 'response'>,
    status: number,
    payload: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): void {
    this.calls.push({ ...call, status, response: payload });
    response
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': GRANTED_SCOPES, ...headers })
      .end(JSON.stringify(payload));
    this.notify();
  }

  private download(fileId: string, request: IncomingMessage, response: ServerResponse): void {
    const file = this.state.files.get(fileId);
    this.downloads.push({ fileId, authorized: request.headers.authorization === `Bearer ${BOT_TOKEN}` });
    // Slack sends an unauthenticated download to its sign-in page rather than refusing it.
    if (request.headers.authorization !== `Bearer ${BOT_TOKEN}`) {
      response.writeHead(302, { location: `https://${this.state.teamDomain}.slack.com/?redir=%2Ffiles-pri%2F${fileId}` }).end();
      return;
    }
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(file.content.length) }).end(file.content);
  }

  private responseUrlPost(id: string, raw: Buffer, response: ServerResponse): void {
    const uses = (this.responseUses.get(id) ?? 0) + 1;
    this.responseUses.set(id, uses);
    if (uses > RESPONSE_URL_USES) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('used_url');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return void response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
    }
    this.responses.push({ id, body, at: Date.now() });
    response.writeHead(200, { 'content-type': 'text/html' }).end('ok');
    this.notify();
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Slack's upload URL takes the bytes raw or as the one file part of a multipart form (the client's way). */
async function uploadedBytes(contentType: string, raw: Buffer): Promise<Buffer> {
  if (!contentType.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

/** Form fields that carry JSON (the client serialises objects into them). */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'files', 'metadata']);

/** The Web API client posts form fields (objects as JSON strings); some callers post JSON. */
function parseArgs(contentType: string, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType.startsWith('application/json')) return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return { _bytes: raw.length };
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
