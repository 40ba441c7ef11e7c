import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from './harness.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
});

afterAll(async () => {
  await h?.close();
});

/** A 1×1 PNG: the bytes only have to arrive intact. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('what the core sends through the Slack adapter', () => {
  it('uploads a chart as a file (getUploadURLExternal → upload URL → completeUploadExternal) into the channel', async () => {
    const channel = h.channel();
    const conversation = `slack:${h.standIn.state.teamId}:${channel}`;

    const sent = await h.slack.send(conversation, { kind: 'image', png: PNG, alt: 'Forecast for AAPL', caption: '**AAPL** next close', filename: 'aapl.png' });

    const [requested] = h.standIn.callsTo('files.getUploadURLExternal', true).slice(-1);
    expect(requested?.args).toMatchObject({ filename: 'aapl.png', length: String(PNG.length), alt_text: 'Forecast for AAPL' });
    const [completed] = h.standIn.callsTo('files.completeUploadExternal', true).slice(-1);
    expect(completed?.args).toMatchObject({ channel_id: channel, initial_comment: '*AAPL* next close' });
    const file = h.standIn.state.files.get(sent.messageRef);
    expect(file?.channels).toEqual([channel]);
    expect(file?.content.equals(PNG)).toBe(true);
  });

  it('edits a message with chat.update and reports Slack’s errors instead of hiding them', async () => {
    const channel = h.channel();
    const conversation = `slack:${h.standIn.state.teamId}:${channel}`;
    const { messageRef } = await h.slack.send(conversation, { kind: 'text', markdown: 'Thinking…' });

    await h.slack.edit(conversation, messageRef, { kind: 'text', markdown: 'Sentiment: **positive**' });
    expect(h.standIn.state.message(channel, messageRef)?.text).toBe('Sentiment: *positive*');

    await expect(h.slack.edit(conversation, '1.000001', { kind: 'text', markdown: 'x' })).rejects.toThrow(/message_not_found/);
    await expect(h.slack.send(`slack:${h.standIn.state.teamId}:C0NOTJOINED`, { kind: 'text', markdown: 'x' })).rejects.toThrow(/channel_not_found/);
    await expect(h.slack.send('slack:T0ELSEWHERE:C0ABC', { kind: 'text', markdown: 'x' })).rejects.toThrow(/belongs to workspace T0ELSEWHERE/);
  });

  it('reaches Slack with the bot token and learned who it is from auth.test at startup', () => {
    expect(h.standIn.callsTo('auth.test', true)).toHaveLength(1);
    expect(h.standIn.calls.every((call) => call.response.error !== 'invalid_auth' && call.response.error !== 'not_authed')).toBe(true);
    expect(h.slack.identity).toEqual({ teamId: h.standIn.state.teamId, botUserId: expect.any(String), botId: expect.any(String) });
  });
});
