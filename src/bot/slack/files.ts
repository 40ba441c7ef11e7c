import type { webApi } from '@slack/bolt';
import type { Attachment } from '../../shared/chat/types.js';
import { fileInfoResult, type SlackFile } from './parse.js';
import { slackErrorCode } from './users.js';

/** Where Slack serves url_private downloads; the bot token is only ever sent there (or to SLACK_API_URL's host). */
export const SLACK_FILE_ORIGIN = 'https://files.slack.com';

/** A file the user named that we cannot use; the text is shown to them privately. */
export class SlackFileProblem extends Error {
  override readonly name = 'SlackFileProblem';
}

/**
 * `/deck import <file link>`: the file must already be shared in the channel the command runs in (so a
 * user cannot import a file from a channel they are not in). Slack's metadata gives the size up front,
 * so the core can refuse a too-large deck before a byte is downloaded.
 */
export class SlackFiles {
  private readonly trustedOrigins: ReadonlySet<string>;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly token: string,
    apiUrl: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.trustedOrigins = new Set([SLACK_FILE_ORIGIN, new URL(apiUrl).origin]);
  }

  async attachment(fileId: string, channelId: string): Promise<Attachment> {
    const file = await this.info(fileId);
    if (![...file.channels, ...file.groups, ...file.ims].includes(channelId)) {
      throw new SlackFileProblem(`File ${fileId} is not shared in this channel. Share it here first, then run the command again.`);
    }
    const url = file.url_private_download ?? file.url_private;
    return { name: file.name, size: file.size, download: () => this.download(url, file) };
  }

  private async info(fileId: string): Promise<SlackFile> {
    try {
      return fileInfoResult.parse(await this.client.files.info({ file: fileId })).file;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'file_not_found' || code === 'file_deleted') {
        throw new SlackFileProblem(`I cannot see file ${fileId}. Share it in this channel, then use its link.`);
      }
      throw error;
    }
  }

  private async download(url: string, file: SlackFile): Promise<Buffer> {
    if (!this.trustedOrigins.has(new URL(url).origin)) {
      throw new Error(`refusing to send the bot token to ${new URL(url).origin} for file ${file.id}`);
    }
    // Without the token (or the files:read scope) Slack answers with a redirect to its sign-in page.
    const response = await this.fetchFn(url, { headers: { authorization: `Bearer ${this.token}` }, redirect: 'manual' });
    if (response.status !== 200) throw new Error(`downloading file ${file.id} failed: HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > file.size) throw new Error(`file ${file.id} is ${bytes.length} bytes, not the ${file.size} Slack announced`);
    return bytes;
  }
}
