import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildSlackManifest } from '../../src/bot/slack/manifest.js';
import { listCommands } from '../../src/shared/commands/registry.js';

describe('Slack app manifest', () => {
  it('docs/slack.md carries exactly the manifest derived from the core command registry', async () => {
    const doc = await readFile('docs/slack.md', 'utf8');
    const block = /<!-- slack-manifest -->\s*```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block, 'docs/slack.md has a ```json block after <!-- slack-manifest -->').toBeDefined();
    expect(JSON.parse(block!)).toEqual(buildSlackManifest(listCommands(), 'https://quizcast.example.com'));
  });

  it('registers every core command on the one Bolt endpoint and subscribes to reaction events', () => {
    const manifest = buildSlackManifest(listCommands(), 'https://bot.example.org/');
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(listCommands().map((command) => `/${command.name}`));
    for (const command of manifest.features.slash_commands) expect(command.url).toBe('https://bot.example.org/slack/events');
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['reaction_added', 'reaction_removed']);
    expect(manifest.settings.interactivity.request_url).toBe('https://bot.example.org/slack/events');
    expect(manifest.features.slash_commands.find((command) => command.command === '/deck')?.usage_hint).toBe('import <file link>');
  });
});
