import { readFile } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { postJson, startTestBot, type TestBot } from '../support/bot.js';
import { eventually } from '../support/processes.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A person in a real (headless, Debian) Chromium: opens the page, clicks a rating, sees it recorded. */
describe('local chat page in Chromium', () => {
  let t: TestBot;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestBot();
    await importDeckBytes(t.bot.core.db, await readFile(new URL('../../decks/rnn-flashcards.txt', import.meta.url)), {
      maxBytes: 1 << 20,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('clicks 4 on the card and shows the private confirmation; the rating is in Postgres', async () => {
    const posted = await postJson<{ replies: { text: string }[] }>(t.base, '/api/local/messages', {
      conversation: 'general',
      user: 'carol',
      text: '/quiz',
    });
    expect(posted.status).toBe(200);

    const page = await browser.newPage();
    await page.goto(t.base);
    await page.fill('#user', 'carol');
    await page.dispatchEvent('#user', 'change');
    const card = page.locator('[data-kind="card"]').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('What is the big idea behind RNN?');
    await card.locator('button', { hasText: /^4$/ }).click();
    await page.locator('text=Recorded').first().waitFor();
    expect(await page.locator('.private').count()).toBeGreaterThan(0);
    // The bot's **bold** is rendered as markup, not shown as asterisks.
    expect(await page.locator('.message strong', { hasText: '4' }).count()).toBeGreaterThan(0);

    const rating = await eventually(
      async () => (await t.bot.core.db.rating.findFirst({ where: { userId: 'local:carol' } })) ?? undefined,
      10_000,
      'the rating row',
    );
    expect(rating.value).toBe(4);
    expect(rating.source).toBe('button');
    await page.screenshot({ path: 'test-results/local-chat.png' }).catch(() => undefined);
  });
});
