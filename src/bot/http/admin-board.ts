import { createHmac } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queues } from '../../shared/queue/queues.js';
import { bearerToken, tokenMatches } from './bearer-token.js';

export const ADMIN_BOARD_PATH = '/admin/queues';
export const ADMIN_COOKIE = 'quizcast_admin';
const COOKIE_MAX_AGE_SECONDS = 12 * 3600;

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Bull Board at /admin/queues, for holders of ADMIN_TOKEN: as `Authorization: Bearer <token>` (scripts),
 * or once as `?token=<token>` (a browser), which sets a cookie and redirects to the same page without
 * the token so it does not linger in the address bar or history. The cookie holds an HMAC of the token,
 * not the token, and changing ADMIN_TOKEN invalidates it; SameSite=Strict keeps other sites from using
 * it to retry or delete jobs. With no ADMIN_TOKEN the board is not mounted and its paths answer 404.
 */
export function registerAdminBoard(app: FastifyInstance, queues: Queues, token: string | undefined): void {
  if (!token) {
    const disabled = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(404)
        .send({ error: 'not_found', message: 'Bull Board is disabled: set ADMIN_TOKEN (16+ characters) to enable /admin/queues.' });
    app.get(ADMIN_BOARD_PATH, disabled);
    app.get(`${ADMIN_BOARD_PATH}/*`, disabled);
    return;
  }
  const serverAdapter = new FastifyAdapter().setBasePath(ADMIN_BOARD_PATH);
  createBullBoard({
    queues: Object.values(queues)
      .filter((value): value is Queue => value instanceof Queue)
      .map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'quizcast' } },
  });
  const session = createHmac('sha256', token).update('quizcast bull board session').digest('base64url');

  app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        if (tokenMatches(bearerToken(request), token) || tokenMatches(cookie(request, ADMIN_COOKIE), session)) return;
        const url = new URL(request.url, 'http://board.invalid');
        if (tokenMatches(url.searchParams.get('token') ?? undefined, token)) {
          url.searchParams.delete('token');
          const secure = request.protocol === 'https' ? '; Secure' : '';
          return reply
            .header(
              'set-cookie',
              `${ADMIN_COOKIE}=${session}; Path=${ADMIN_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_SECONDS}${secure}`,
            )
            .redirect(`${url.pathname}${url.search}`, 303);
        }
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="quizcast admin"')
          .send({ error: 'unauthorised', message: 'Bull Board needs the admin token: a Bearer header, or ?token= once in a browser.' });
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: ADMIN_BOARD_PATH },
  );
}
