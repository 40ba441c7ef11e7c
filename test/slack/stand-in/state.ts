import { validateBlocks } from './blocks.js';
import { APP_ID, BOT_ID, BOT_USER_ID, slackId, TEAM_DOMAIN, TEAM_ID } from './wire.js';

export interface StandInUser {
  id: string;
  name: string;
  isAdmin?: boolean;
  isOwner?: boolean;
}

export interface StandInMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  user: string;
  /** Set for chat.postEphemeral: only this user sees it. */
  visibleTo?: string;
  reactions: Map<string, string[]>;
}

export interface StandInFile {
  id: string;
  name: string;
  content: Buffer;
  user: string;
  channels: string[];
  title?: string;
}

type Result = Record<string, unknown>;
const fail = (error: string, extra: Result = {}): Result => ({ ok: false, error, ...extra });

/** The workspace behind the stand-in: users, the channels the bot is in, messages, files. */
export class SlackState {
  readonly teamId = TEAM_ID;
  readonly teamDomain = TEAM_DOMAIN;
  readonly users = new Map<string, StandInUser>();
  readonly channels = new Set<string>();
  readonly messages: StandInMessage[] = [];
  readonly ephemerals: StandInMessage[] = [];
  readonly files = new Map<string, StandInFile>();
  private readonly uploads = new Map<string, { fileId: string; filename: string; length: number; bytes?: Buffer }>();
  private lastTs = 0;

  constructor(private readonly baseUrl: string) {}

  addUser(user: StandInUser): StandInUser {
    this.users.set(user.id, user);
    return user;
  }

  addChannel(id: string = slackId('C')): string {
    this.channels.add(id);
    return id;
  }

  /** A file a user shared into channels (as if uploaded through Slack's UI). */
  addFile(file: Omit<StandInFile, 'id'>): StandInFile & { permalink: string } {
    const stored = { ...file, id: slackId('F') };
    this.files.set(stored.id, stored);
    return { ...stored, permalink: this.fileObject(stored).permalink as string };
  }

  message(channel: string, ts: string): StandInMessage | undefined {
    return this.messages.find((message) => message.channel === channel && message.ts === ts);
  }

  receiveUpload(uploadId: string, bytes: Buffer): boolean {
    const upload = this.uploads.get(uploadId);
    if (!upload) return false;
    upload.bytes = bytes;
    return true;
  }

  call(method: string, args: Result): Result {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${this.teamDomain}.slack.com/`,
          team: 'Quizcast Test',
          user: 'quizcast',
          team_id: this.teamId,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          is_enterprise_install: false,
        };
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'reactions.add':
        return this.addReaction(args);
      case 'users.info':
        return this.userInfo(args);
      case 'files.getUploadURLExternal':
        return this.uploadUrl(args);
      case 'files.completeUploadExternal':
        return this.completeUpload(args);
      case 'files.info': {
        const file = this.files.get(String(args.file));
        return file ? { ok: true, file: this.fileObject(file), comments: [], response_metadata: { next_cursor: '' } } : fail('file_not_found');
      }
      default:
        return fail('unknown_method', { req_method: method });
    }
  }

  private postMessage(args: Result): Result {
    const channel = String(args.channel ?? '');
    const problem = this.checkContent(channel, args);
    if (problem) return problem;
    const message: StandInMessage = { channel, ts: this.nextTs(), user: BOT_USER_ID, reactions: new Map(), ...content(args) };
    this.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: this.messageObject(message) };
  }

  private update(args: Result): Result {
    const message = this.message(String(args.channel ?? ''), String(args.ts ?? ''));
    if (!message) return fail('message_not_found');
    if (message.user !== BOT_USER_ID) return fail('cant_update_message');
    const problem = this.checkContent(message.channel, args);
    if (problem) return problem;
    Object.assign(message, content(args));
    return { ok: true, channel: message.channel, ts: message.ts, text: message.text ?? '', message: this.messageObject(message) };
  }

  private postEphemeral(args: Result): Result {
    const channel = String(args.channel ?? '');
    const user = String(args.user ?? '');
    const problem = this.checkContent(channel, args);
    if (problem) return problem;
    if (!this.users.has(user)) return fail('user_not_in_channel');
    const message: StandInMessage = { channel, ts: this.nextTs(), user: BOT_USER_ID, visibleTo: user, reactions: new Map(), ...content(args) };
    this.ephemerals.push(message);
    return { ok: true, message_ts: message.ts };
  }

  private addReaction(args: Result): Result {
    const name = String(args.name ?? '');
    if (!/^[a-z0-9_+'-]+$/.test(name)) return fail('invalid_name');
    const message = this.message(String(args.channel ?? ''), String(args.timestamp ?? ''));
    if (!message) return fail('message_not_found');
    const users = message.reactions.get(name) ?? [];
    if (users.includes(BOT_USER_ID)) return fail('already_reacted');
    message.reactions.set(name, [...users, BOT_USER_ID]);
    return { ok: true };
  }

  private userInfo(args: Result): Result {
    const user = this.users.get(String(args.user ?? ''));
    if (!user) return fail('user_not_found');
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: this.teamId,
        name: user.name,
        deleted: false,
        real_name: user.name,
        tz: 'Europe/Paris',
        is_admin: user.isAdmin ?? false,
        is_owner: user.isOwner ?? false,
        is_primary_owner: false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: false,
        is_app_user: false,
        profile: { real_name: user.name, display_name: user.name, team: this.teamId },
      },
    };
  }

  private uploadUrl(args: Result): Result {
    const length = Number(args.length);
    if (!args.filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const uploadId = slackId('UP').toLowerCase();
    const fileId = slackId('F');
    this.uploads.set(uploadId, { fileId, filename: String(args.filename), length });
    return { ok: true, upload_url: `${this.baseUrl}/upload/v1/${uploadId}`, file_id: fileId };
  }

  private completeUpload(args: Result): Result {
    const requested = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
    if (requested.length === 0) return fail('invalid_arguments');
    const channel = args.channel_id === undefined ? undefined : String(args.channel_id);
    if (channel !== undefined && !this.channels.has(channel)) return fail('channel_not_found');
    const done: Result[] = [];
    for (const item of requested) {
      const upload = [...this.uploads.values()].find((candidate) => candidate.fileId === item.id);
      if (!upload?.bytes) return fail('file_not_found');
      const file: StandInFile = {
        id: upload.fileId,
        name: upload.filename,
        content: upload.bytes,
        user: BOT_USER_ID,
        channels: channel ? [channel] : [],
        ...(item.title ? { title: item.title } : {}),
      };
      this.files.set(file.id, file);
      done.push(this.fileObject(file));
    }
    return { ok: true, files: done };
  }

  private checkContent(channel: string, args: Result): Result | undefined {
    if (!this.channels.has(channel)) return fail('channel_not_found');
    if (!args.text && !args.blocks) return fail('no_text');
    if (args.blocks !== undefined) {
      const errors = validateBlocks(args.blocks);
      if (errors.length > 0) return fail('invalid_blocks', { errors, response_metadata: { messages: errors } });
    }
    return undefined;
  }

  private messageObject(message: StandInMessage): Result {
    return { type: 'message', user: message.user, bot_id: BOT_ID, app_id: APP_ID, team: this.teamId, ts: message.ts, text: message.text ?? '', ...(message.blocks ? { blocks: message.blocks } : {}) };
  }

  private fileObject(file: StandInFile): Result {
    const path = `${this.teamId}-${file.id}`;
    return {
      id: file.id,
      created: Math.floor(Date.now() / 1000),
      name: file.name,
      title: file.title ?? file.name,
      mimetype: file.name.endsWith('.png') ? 'image/png' : 'text/plain',
      filetype: file.name.endsWith('.png') ? 'png' : 'text',
      user: file.user,
      size: file.content.length,
      mode: 'hosted',
      is_external: false,
      is_public: true,
      url_private: `${this.baseUrl}/files-pri/${path}/${encodeURIComponent(file.name)}`,
      url_private_download: `${this.baseUrl}/files-pri/${path}/download/${encodeURIComponent(file.name)}`,
      permalink: `https://${this.teamDomain}.slack.com/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
      channels: file.channels,
      groups: [],
      ims: [],
    };
  }

  /** Message timestamps: seconds.microseconds, strictly increasing like Slack's. */
  private nextTs(): string {
    this.lastTs = Math.max(Date.now() * 1000, this.lastTs + 1);
    return `${Math.floor(this.lastTs / 1_000_000)}.${String(this.lastTs % 1_000_000).padStart(6, '0')}`;
  }
}

function content(args: Result): { text?: string; blocks?: unknown } {
  return { ...(args.text ? { text: String(args.text) } : {}), ...(args.blocks ? { blocks: args.blocks } : {}) };
}
