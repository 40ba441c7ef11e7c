import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_COOKIE } from '../../src/bot/http/admin-board.js';
import { ConfigError, loadCoreConfig } from '../../src/shared/config.js';
import { startTestBot, type TestBot } from '../support/bot.js';

const TOKEN = 'ops-admin-token-0123456789';

describe('Bull Board at /admin/queues', () => {
  let t: TestBot;
  let off: TestBot;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.base}${path}`, { headers, redirect: 'manual' });

  beforeAll(async () => {
    [t, off] = await Promise.all([startTestBot({ env: { ADMIN_TOKEN: TOKEN } }), startTestBot()]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), off?.close()]);
  });

  it('refuses without a token and with a wrong one, on the page and on its API', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const none = await get(path);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.json()).toMatchObject({ error: 'unauthorised' });
      expect((await get(path, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
      expect((await get(path, { authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(401);
      expect((await get(`${path}?token=wrong-token-wrong-token`)).status).toBe(401);
      expect((await get(path, { cookie: `${ADMIN_COOKIE}=${TOKEN}` })).status).toBe(401);
    }
  });

  it('serves the board and its queue API to the bearer token', async () => {
    const page = await get('/admin/queues', { authorization: `Bearer ${TOKEN}` });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<title>quizcast</title>');
    const api = await get('/admin/queues/api/queues', { authorization: `Bearer ${TOKEN}` });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    expect(queues.map((queue) => queue.name).sort()).toEqual(
      ['daily-quiz', 'forecast-posts', 'outbox', 'price-training', 'sentiment', 'ticks'].sort(),
    );
  });

  it('trades ?token= once for a cookie and a redirect that drops the token from the address', async () => {
    const login = await get('/admin/queues?token=' + TOKEN);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/admin/queues');
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/admin\/queues/);
    const session = setCookie.split(';')[0] ?? '';
    expect(session).not.toContain(TOKEN);
    const page = await get('/admin/queues', { cookie: session });
    expect(page.status).toBe(200);
    // The page's own assets load with the cookie alone, as a browser fetches them.
    const stylesheet = /href="(static\/css\/[^"]+\.css)"/.exec(await page.text())?.[1];
    expect(stylesheet).toBeDefined();
    const css = await get(`/admin/queues/${stylesheet}`, { cookie: session });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect((await get(`/admin/queues/${stylesheet}`)).status).toBe(401);
    expect((await get('/admin/queues/api/queues', { cookie: `other=1; ${session}` })).status).toBe(200);
  });

  it('is disabled, with a 404 that says how to enable it, when ADMIN_TOKEN is unset', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await fetch(`${off.base}${path}?token=${TOKEN}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toMatch(/ADMIN_TOKEN/);
    }
  });

  it('validates its settings: a short ADMIN_TOKEN or a bad WORKER_HTTP_PORT is refused by name; blank means off', () => {
    expect(() => loadCoreConfig({ ADMIN_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadCoreConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN/);
    expect(() => loadCoreConfig({ WORKER_HTTP_PORT: '70000' })).toThrow(/WORKER_HTTP_PORT/);
    expect(loadCoreConfig({ ADMIN_TOKEN: '  ' }).ADMIN_TOKEN).toBeUndefined();
    expect(loadCoreConfig({}).WORKER_HTTP_PORT).toBe(3002);
  });
});
