import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayOpcodes } from 'discord.js';
import { WebSocket, WebSocketServer } from 'ws';
import { WaitableLog } from './waiters.js';

/** One frame on the wire, either way; `connection` numbers the sockets in order of opening. */
export interface GatewayFrame {
  direction: 'in' | 'out';
  connection: number;
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
}

export interface Dispatch {
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  /** The intents bitfield sent with IDENTIFY; events of other intents are not dispatched. */
  intents: number;
  /** Every dispatch of the session, kept for replay on RESUME. */
  log: Dispatch[];
  socket: WebSocket | undefined;
}

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** The READY data and GUILD_CREATE payloads for a new session. */
  onIdentify: (sessionId: string) => { ready: unknown; guilds: unknown[] };
}

/**
 * Discord's gateway, v10 JSON encoding, one shard: HELLO, IDENTIFY → READY (+ GUILD_CREATE),
 * heartbeats and ACKs, RESUME with replay of missed dispatches, INVALID_SESSION, and the close codes
 * Discord uses for protocol errors. Tests can dispatch events, deliver one twice, and drop the socket.
 */
export class GatewayStandIn {
  readonly frames = new WaitableLog<GatewayFrame>();
  /** Whether heartbeats are acknowledged; off, the client should treat the link as a zombie. */
  ackHeartbeats = true;
  private readonly server = new WebSocketServer({ noServer: true });
  private session: Session | undefined;
  private connections = 0;
  private readonly socketConnections = new WeakMap<WebSocket, number>();

  constructor(private readonly options: GatewayOptions) {}

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const query = new URL(request.url ?? '/', 'http://stand-in').searchParams;
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const connection = ++this.connections;
      this.socketConnections.set(ws, connection);
      if (query.get('v') !== '10') {
        ws.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version.');
        return;
      }
      if (query.get('encoding') !== 'json') {
        ws.close(GatewayCloseCodes.DecodeError, 'Only JSON encoding here.');
        return;
      }
      const state = { connection, identified: false };
      ws.on('message', (data) => this.receive(ws, state, data.toString()));
      ws.on('close', (code) => {
        if (this.session?.socket !== ws) return;
        this.session.socket = undefined;
        // A client closing with 1000/1001 ends its session; anything else keeps it resumable.
        if (code === 1000 || code === 1001) this.session = undefined;
      });
      this.send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
    });
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  /** The last sequence number dispatched in the current session. */
  get sequence(): number {
    return this.session?.seq ?? 0;
  }

  get connected(): boolean {
    return this.session?.socket?.readyState === WebSocket.OPEN;
  }

  /** Dispatches an event; while disconnected it is only logged, to be replayed on RESUME. */
  dispatch(t: string, d: unknown): number {
    const session = this.session;
    if (!session) throw new Error(`no gateway session to dispatch ${t} into (has the client identified?)`);
    const event = { t, s: ++session.seq, d };
    session.log.push(event);
    if (session.socket?.readyState === WebSocket.OPEN) this.sendDispatch(session.socket, event);
    return event.s;
  }

  /**
   * Dispatches an event only if the client asked for its intent, as Discord does; returns the
   * sequence number, or undefined when the client's intents leave the event out.
   */
  dispatchForIntent(intent: number, t: string, d: unknown): number | undefined {
    if (!this.session || (this.session.intents & intent) === 0) return undefined;
    return this.dispatch(t, d);
  }

  /** Sends an already dispatched event again as a new dispatch, as Discord occasionally does. */
  redeliver(sequence: number): number {
    const original = this.session?.log.find((event) => event.s === sequence);
    if (!original) throw new Error(`no dispatch with sequence ${sequence} in this session`);
    return this.dispatch(original.t, original.d);
  }

  /** Cuts the connection without a close frame (like a network failure); the session stays resumable. */
  async drop(): Promise<void> {
    const socket = this.session?.socket;
    if (!socket) throw new Error('no connected gateway session to drop');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.terminate();
    await closed;
  }

  /** Waits until a client has resumed (or identified) and holds an open socket again. */
  waitForConnection(after: number): Promise<GatewayFrame> {
    return this.frames.waitFor(
      (frame) => frame.direction === 'out' && frame.connection > after && (frame.t === 'RESUMED' || frame.t === 'READY'),
      'the client to reconnect',
    );
  }

  get connectionCount(): number {
    return this.connections;
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise((resolve) => this.server.close(resolve));
    this.frames.close();
  }

  private receive(ws: WebSocket, state: { connection: number; identified: boolean }, text: string): void {
    let payload: { op: number; d: unknown };
    try {
      payload = JSON.parse(text) as { op: number; d: unknown };
    } catch {
      ws.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    this.frames.push({ direction: 'in', connection: state.connection, op: payload.op, d: payload.d });
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        if (this.ackHeartbeats) this.send(ws, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.identify(ws, state, payload.d as { token?: string; intents?: number });
        return;
      case GatewayOpcodes.Resume:
        this.resume(ws, state, payload.d as { token?: string; session_id?: string; seq?: number });
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        if (!state.identified) ws.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        ws.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private identify(ws: WebSocket, state: { connection: number; identified: boolean }, d: { token?: string; intents?: number }): void {
    if (state.identified) {
      ws.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (d.token !== this.options.token) {
      ws.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    state.identified = true;
    const session: Session = { id: randomUUID().replaceAll('-', ''), seq: 0, intents: d.intents ?? 0, log: [], socket: ws };
    this.session?.socket?.terminate();
    this.session = session;
    const { ready, guilds } = this.options.onIdentify(session.id);
    this.dispatch('READY', ready);
    for (const guild of guilds) this.dispatch('GUILD_CREATE', guild);
  }

  private resume(
    ws: WebSocket,
    state: { connection: number; identified: boolean },
    d: { token?: string; session_id?: string; seq?: number },
  ): void {
    if (d.token !== this.options.token) {
      ws.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = this.session;
    if (!session || session.id !== d.session_id) {
      this.send(ws, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    const from = d.seq ?? 0;
    if (from > session.seq) {
      ws.close(GatewayCloseCodes.InvalidSeq, 'Invalid seq.');
      return;
    }
    state.identified = true;
    if (session.socket && session.socket !== ws) session.socket.terminate();
    session.socket = ws;
    // Replay keeps each event's original sequence number, as Discord does.
    for (const event of session.log.filter((entry) => entry.s > from)) this.sendDispatch(ws, event);
    this.dispatch('RESUMED', null);
  }

  private sendDispatch(ws: WebSocket, event: Dispatch): void {
    this.send(ws, { op: GatewayOpcodes.Dispatch, t: event.t, s: event.s, d: event.d });
  }

  private send(ws: WebSocket, frame: { op: number; t?: string; s?: number; d?: unknown }): void {
    const connection = this.socketConnections.get(ws) ?? 0;
    const payload = { op: frame.op, d: frame.d ?? null, s: frame.s ?? null, t: frame.t ?? null };
    this.frames.push({ direction: 'out', connection, ...payload });
    ws.send(JSON.stringify(payload));
  }
}
