import { changePasswordBodySchema, loginBodySchema } from '@botwire/protocol';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE_NAME } from '../../auth/request-credentials.js';
import { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

/** Sign-in, sign-out, who am I, change password. */
export function registerAuthRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  const { auth, config } = dependencies;

  app.post('/api/v1/auth/login', { config: { public: true } }, async (request, reply) => {
    const body = validate(loginBodySchema, request.body, 'login');
    const login = await auth.login(body.username, body.password, { remoteAddress: request.ip });
    void reply.setCookie(SESSION_COOKIE_NAME, login.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.auth.secureCookie,
      path: '/',
      expires: new Date(login.expires_at),
    });
    return success(login);
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    if (request.credential !== null) await auth.logout(request.credential);
    void reply.clearCookie(SESSION_COOKIE_NAME, { path: '/' });
    return success({ message: 'Signed out.' });
  });

  app.get('/api/v1/auth/me', (request) => success({ principal: principalOf(request) }));

  app.put('/api/v1/auth/password', async (request) => {
    const principal = principalOf(request);
    if (principal.kind !== 'user') {
      throw new BotwireError(
        'FORBIDDEN',
        'Only a signed-in user can change a password; API keys have none.',
      );
    }
    const body = validate(changePasswordBodySchema, request.body, 'password change');
    const userId = Number(principal.id.slice('user:'.length));
    await auth.changePassword(
      userId,
      body.current_password,
      body.new_password,
      request.credential ?? undefined,
    );
    return success({ message: 'Password changed; other sessions were signed out.' });
  });
}
