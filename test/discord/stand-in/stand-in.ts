import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayStandIn } from './gateway.js';
import { type ParsedBody, parseBody, readBody } from './http-body.js';
import { guildCreatePayload, readyPayload } from './payloads.js';
import { type Route, routes } from './rest-routes.js';
import type { RestReply } from './rest-types.js';
import { WaitableLog } from './waiters.js';
import { World } from './world.js';

/** One HTTP request as the stand-in received it; `route` is the matched pattern, e.g. "POST /channels/:channel/messages". */
export interface RecordedRequest {
  index: number;
  method: string;
  path: string;
  route: string;
  params: Record<string, string>;
  query: Record<string, string>;
  authorization: string | undefined;
  body: ParsedBody;
  /** Filled in when the response is sent. */
  status?: number;
}

const API_PREFIX = '/api/v10';

/** The HTTP half: REST under /api/v10, the CDN for attachments, and the gateway's WebSocket upgrade. */
export class DiscordServer {
  readonly world = new World();
  readonly token = `${Buffer.from(this.world.applicationId).toString('base64url')}.stand-in.${randomBytes(16).toString('base64url')}`;
  readonly requests = new WaitableLog<RecordedRequest>();
  readonly gateway: GatewayStandIn;
  private readonly server: Server;
  private baseUrl = '';

  constructor(options: { heartbeatIntervalMs?: number } = {}) {
    this.gateway = new GatewayStandIn({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      onIdentify: (sessionId) => ({
        ready: readyPayload({
          bot: this.world.bot,
          applicationId: this.world.applicationId,
          guildIds: [this.world.guild.id],
          sessionId,
          resumeUrl: `${this.baseUrl.replace(/^http/, 'ws')}/gateway`,
        }),
        guilds: [guildCreatePayload(this.world.guild)],
      }),
    });
    this.server = createServer((request, response) => void this.serve(request, response));
    this.server.on('upgrade', (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://stand-in').pathname === '/gateway') this.gateway.upgrade(request, socket, head);
      else socket.destroy();
    });
  }

  get base(): string {
    return this.baseUrl;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.requests.close();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const method = request.method ?? 'GET';
    try {
      const body = await parseBody(await readBody(request), request.headers['content-type']);
      if (url.pathname.startsWith('/attachments/')) return await this.serveFile(url, method, body, response);
      const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : undefined;
      const match = path === undefined ? undefined : matchRoute(method, path);
      const recorded: RecordedRequest = {
        index: this.requests.entries.length,
        method,
        path: url.pathname,
        route: match ? `${method} ${match.route.pattern}` : `${method} ${url.pathname}`,
        params: match?.params ?? {},
        query: Object.fromEntries(url.searchParams),
        authorization: request.headers.authorization,
        body,
      };
      this.requests.push(recorded);
      let reply: RestReply;
      if (!match) reply = { status: 404, json: { message: '404: Not Found', code: 0 } };
      else if (match.route.auth && request.headers.authorization !== `Bot ${this.token}`) reply = { status: 401, json: { message: '401: Unauthorized', code: 0 } };
      else {
        reply = match.route.handle({
          world: this.world,
          gateway: this.gateway,
          base: this.baseUrl,
          params: match.params,
          query: url.searchParams,
          json: body.json,
          files: body.files,
        });
      }
      recorded.status = reply.status;
      send(response, reply.status, reply.json);
    } catch (error) {
      send(response, 500, { message: `stand-in failure: ${(error as Error).message}`, code: 0 });
    }
  }

  private async serveFile(url: URL, method: string, body: ParsedBody, response: ServerResponse): Promise<void> {
    const recorded: RecordedRequest = {
      index: this.requests.entries.length,
      method,
      path: url.pathname,
      route: `${method} /attachments/:channel/:attachment/:filename`,
      params: {},
      query: {},
      authorization: undefined,
      body,
    };
    this.requests.push(recorded);
    const file = this.world.files.get(url.pathname);
    if (!file || method !== 'GET') {
      recorded.status = 404;
      response.writeHead(404).end();
      return;
    }
    await file.gate;
    recorded.status = 200;
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
  }
}

function send(response: ServerResponse, status: number, json: unknown): void {
  if (json === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(json);
  response.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

const compiled = routes.map((route) => ({
  route,
  names: [...route.pattern.matchAll(/:(\w+)/g)].map((match) => match[1] ?? ''),
  regex: new RegExp(`^${route.pattern.replace(/:(\w+)/g, '([^/]+)')}$`),
}));

function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const match = candidate.regex.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(candidate.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
    return { route: candidate.route, params };
  }
  return undefined;
}
