import { createHmac } from 'node:crypto';

export interface SendOptions {
  /** Unix seconds in X-Slack-Request-Timestamp (default: now). */
  timestamp?: number;
  /** Sign with this secret instead of the app's (a forgery). */
  secret?: string;
  /** false: send no X-Slack-Signature at all. */
  sign?: boolean;
  /** Sign this body but send the real one (a tampered request). */
  signedBody?: string;
  /** Slack's redelivery headers for Events API retries. */
  retryNum?: number;
  retryReason?: 'http_timeout' | 'http_error' | 'connection_failed' | 'too_many_redirects' | 'ssl_error' | 'unknown_error';
}

export interface Delivery {
  status: number;
  body: string;
}

/** Slack's v0 request signature: HMAC-SHA256 of "v0:<timestamp>:<raw body>" keyed by the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Delivers requests to the app as Slack does: slash commands as form fields, interactivity as a form
 * with one `payload` field of JSON, the Events API as JSON; each signed over the exact bytes sent.
 */
export class SlackSender {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
  ) {}

  slashCommand(fields: Record<string, string>, options: SendOptions = {}): Promise<Delivery> {
    return this.deliver(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
  }

  interaction(payload: object, options: SendOptions = {}): Promise<Delivery> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.deliver(body, 'application/x-www-form-urlencoded', options);
  }

  event(envelope: object, options: SendOptions = {}): Promise<Delivery> {
    return this.deliver(JSON.stringify(envelope), 'application/json', options);
  }

  private async deliver(body: string, contentType: string, options: SendOptions): Promise<Delivery> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
    };
    if (options.sign !== false) {
      headers['x-slack-signature'] = slackSignature(options.secret ?? this.signingSecret, timestamp, options.signedBody ?? body);
    }
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
    }
    const response = await fetch(this.url, { method: 'POST', headers, body });
    return { status: response.status, body: await response.text() };
  }
}
