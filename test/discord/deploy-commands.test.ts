import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCommandSet, deployCommands } from '../../src/bot/discord/deploy-commands.js';
import { registerDiscordCommands } from '../../src/cli/discord.js';
import type { CommandDefinition } from '../../src/shared/commands/command.js';
import { listCommands } from '../../src/shared/commands/registry.js';
import { type DiscordStandIn, startDiscordStandIn } from './stand-in/index.js';

const GUILD = 0;
const BOT_DM = 1;

describe('discord deploy-commands', () => {
  let standIn: DiscordStandIn;

  beforeAll(async () => {
    standIn = await startDiscordStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  /** Runs `quizcast discord deploy-commands …` through the real commander program, in process. */
  async function runCli(args: string[]): Promise<string> {
    vi.stubEnv('DISCORD_TOKEN', standIn.token);
    vi.stubEnv('DISCORD_APPLICATION_ID', standIn.world.applicationId);
    vi.stubEnv('DISCORD_API_URL', standIn.apiUrl);
    let output = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    });
    const program = new Command().exitOverride();
    registerDiscordCommands(program);
    await program.parseAsync(['discord', 'deploy-commands', ...args], { from: 'user' });
    return output;
  }

  it('derives one slash command per core command, subcommands and options included', () => {
    const core = listCommands();
    const set = buildCommandSet(core);
    expect(set.map((command) => command.name)).toEqual(core.map((command) => command.name));
    const byName = new Map(set.map((command) => [command.name, command]));
    expect(byName.get('deck')).toMatchObject({
      contexts: [GUILD],
      options: [{ type: 1, name: 'import', options: [{ type: 11, name: 'file', required: true }] }],
    });
    expect(byName.get('subscribe')).toMatchObject({
      contexts: [GUILD],
      options: [
        { type: 3, name: 'time', required: false },
        { type: 3, name: 'timezone', required: false },
      ],
    });
    expect(byName.get('stats')?.options?.map((option) => [option.type, option.name])).toEqual([
      [1, 'show'],
      [1, 'optout'],
      [1, 'optin'],
    ]);
    expect(byName.get('review')).toMatchObject({ contexts: [GUILD, BOT_DM], options: [] });
    // Discord decides DM availability per top-level command: one everyday subcommand keeps it in DMs.
    expect(byName.get('forecast')?.contexts).toEqual([GUILD, BOT_DM]);
  });

  it('refuses definitions Discord would reject, naming the command', () => {
    const bad: CommandDefinition = {
      name: 'Quiz Now',
      description: 'x',
      usage: '/x',
      options: [],
      handle: async () => ({ replies: [] }),
    };
    expect(() => buildCommandSet([bad])).toThrow(/Quiz Now/);
    const misordered = { ...bad, name: 'ok', options: [
      { name: 'a', description: 'a', type: 'string' as const, required: false },
      { name: 'b', description: 'b', type: 'string' as const, required: true },
    ] };
    expect(() => buildCommandSet([misordered])).toThrow(/required options before optional/);
  });

  it('bulk-overwrites the guild’s commands with --guild, with exactly the core’s set', async () => {
    const output = await runCli(['--guild', standIn.guildId]);
    const request = await standIn.waitForRequest('PUT /applications/:application/guilds/:guild/commands');
    expect(request.status).toBe(200);
    expect(request.params).toEqual({ application: standIn.world.applicationId, guild: standIn.guildId });
    expect(request.authorization).toBe(`Bot ${standIn.token}`);
    expect(request.body.json).toEqual(buildCommandSet(listCommands()));
    expect(standIn.world.commands.guild.get(standIn.guildId)?.map((command) => command.name)).toEqual(listCommands().map((c) => c.name));
    expect(output).toContain(`Registered ${listCommands().length} commands in server ${standIn.guildId}`);
  });

  it('registers globally without --guild', async () => {
    await runCli([]);
    const request = await standIn.waitForRequest('PUT /applications/:application/commands');
    expect(request.status).toBe(200);
    expect(request.body.json).toEqual(buildCommandSet(listCommands()));
    expect(standIn.world.commands.global.map((command) => command.name)).toEqual(listCommands().map((c) => c.name));
  });

  it('rejects a malformed --guild before calling Discord', async () => {
    const before = standIn.requests.entries.length;
    await expect(runCli(['--guild', 'general'])).rejects.toThrow(/--guild/);
    expect(standIn.requests.entries.length).toBe(before);
  });

  it('reports Discord’s refusal (wrong application id) as an error', async () => {
    await expect(
      deployCommands({
        config: { DISCORD_TOKEN: standIn.token, DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_API_URL: standIn.apiUrl },
        commands: listCommands(),
      }),
    ).rejects.toThrow(/Missing Access/);
  });
});
