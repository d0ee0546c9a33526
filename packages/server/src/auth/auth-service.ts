import { createHash, timingSafeEqual } from 'node:crypto';
import {
  changePasswordBodySchema,
  createApiKeyBodySchemaAt,
  createUserBodySchema,
  describeIssues,
  type ApiKey,
  type CreateApiKeyBody,
  type CreateUserBody,
  type ErrorCode,
  type LoginData,
  type Role,
  type User,
} from '@botwire/protocol';
import type { z } from 'zod';
import type { ChangeAnnouncer } from '../cluster/cluster-bus.js';
import type { Config } from '../config/config.js';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import type { Store, StoredApiKey, StoredUser } from '../storage/store.js';
import {
  ApiKeyExpiryWatch,
  type ExpiryTimers,
  type WatchedApiKey,
} from './api-key-expiry-watch.js';
import { LoginThrottle, type ThrottleStart } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { canUsePipeline, describePrincipal, isAdmin, type Principal } from './principal.js';
import { generatePassword, generateToken, hashToken, isTokenOf } from './secret-tokens.js';

/** Options for {@link AuthService}. */
export interface AuthServiceOptions {
  store: Store;
  config: Config['auth'];
  logger: Logger;
  /** The clock; tests move it to expire sessions and API keys. */
  now?: () => Date;
  /** The timers that wait for API keys to expire; tests pass fake ones. */
  expiryTimers?: ExpiryTimers;
  /**
   * Tells the other nodes of a cluster about revocations. Without it (one node) revocations
   * only close this process's connections.
   */
  announcer?: ChangeAnnouncer<Revocation>;
}

/** What {@link AuthService.authorize} checks: admin rights, or the right to chat. */
export type AuthAction = 'admin' | 'chat';

/** Result of {@link AuthService.ensureAdmin}. */
export interface EnsureAdminResult {
  created: boolean;
  username: string;
  /** Set only when the password was generated; the caller shows it once and never logs it. */
  generatedPassword?: string;
}

/** Longest credential looked at; anything longer is garbage and is rejected before hashing. */
const MAX_TOKEN_LENGTH = 4_096;
/** Longest password accepted at login, matching the REST body schema. */
const MAX_PASSWORD_LENGTH = 1_000;
/** `last_used_at` is only rewritten this often, so busy keys do not cause a write per request. */
const TOUCH_INTERVAL_MS = 60_000;
const PREFIX_LENGTH = 12;
const HOUR_MS = 3_600_000;

const LOGIN_FAILED = 'Unknown username or wrong password.';

interface StaticKey {
  digest: Buffer;
  principal: Principal;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function parseInput<TSchema extends z.ZodType>(schema: TSchema, input: unknown): z.output<TSchema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new BotwireError('VALIDATION_FAILED', describeIssues(result.error));
  }
  return result.data;
}

function toUser(user: StoredUser): User {
  return { id: user.id, username: user.username, role: user.role, created_at: user.created_at };
}

/**
 * Credentials that stopped being valid, so live connections made with them can be closed:
 * everything of a principal (optionally but one session), or one session token. `error`, when
 * set, is what the connections are told before they close (an expired key's
 * `API_KEY_EXPIRED`).
 */
export type Revocation =
  | {
      principalId: string;
      exceptTokenHash?: string;
      error?: { code: ErrorCode; message: string };
    }
  | { tokenHash: string };

/**
 * Users, sessions, API keys and the checks built on them. Secrets are kept only as hashes:
 * passwords with scrypt, tokens with SHA-256; the plain values are returned once, on creation.
 */
export class AuthService {
  readonly #revocationListeners: ((revocation: Revocation) => void)[] = [];
  readonly #announcer: ChangeAnnouncer<Revocation> | undefined;
  readonly #store: Store;
  readonly #config: Config['auth'];
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #throttle: LoginThrottle;
  readonly #staticKeys: readonly StaticKey[];
  readonly #createApiKeyBodySchema: ReturnType<typeof createApiKeyBodySchemaAt>;
  readonly #expiryWatch: ApiKeyExpiryWatch;
  /** Hash verified against for unknown usernames, so they take as long as wrong passwords. */
  #dummyHash: Promise<string> | undefined;

  constructor(options: AuthServiceOptions) {
    this.#store = options.store;
    this.#config = options.config;
    this.#logger = options.logger.child({ module: 'auth' });
    this.#now = options.now ?? (() => new Date());
    this.#announcer = options.announcer;
    this.#throttle = new LoginThrottle({ now: () => this.#now().getTime() });
    this.#createApiKeyBodySchema = createApiKeyBodySchemaAt(() => this.#now().getTime());
    this.#expiryWatch = new ApiKeyExpiryWatch({
      now: this.#now,
      onExpired: (key) => this.#keyExpired(key),
      ...(options.expiryTimers === undefined ? {} : { timers: options.expiryTimers }),
    });
    this.#staticKeys = options.config.apiKeys.map((key) => {
      const digest = sha256(key);
      const short = digest.toString('hex').slice(0, 8);
      return {
        digest,
        principal: {
          id: `static:${short}`,
          name: `static key ${short}`,
          kind: 'static_key',
          role: 'admin',
          pipelines: null,
        },
      };
    });
  }

  /**
   * Creates the first admin when the database has no users, with the configured password or a
   * generated one. Existing users are never touched, so a password changed in the console is not
   * overwritten by the config on the next start.
   */
  async ensureAdmin(): Promise<EnsureAdminResult> {
    const username = this.#config.adminUsername;
    if ((await this.#store.users.count()) > 0) return { created: false, username };
    const configured = this.#config.adminPassword;
    const password = configured ?? generatePassword();
    await this.#store.users.create({
      username,
      passwordHash: await hashPassword(password),
      role: 'admin',
    });
    this.#logger.info(
      { username, passwordSource: configured === undefined ? 'generated' : 'config' },
      'created the first admin user',
    );
    return configured === undefined
      ? { created: true, username, generatedPassword: password }
      : { created: true, username };
  }

  /**
   * Checks a username and password and opens a session. Failed sign-ins are throttled per
   * (username, address) and per address ({@link LOGIN_THROTTLE_POLICY}); a throttled attempt
   * fails with `LOGIN_THROTTLED` before the password is looked at.
   */
  async login(
    username: string,
    password: string,
    context: { remoteAddress?: string } = {},
  ): Promise<LoginData> {
    const remoteAddress = context.remoteAddress ?? 'unknown';
    const throttleName = typeof username === 'string' ? username.slice(0, 256) : '';
    let throttleStart: ThrottleStart | undefined;
    try {
      throttleStart = this.#throttle.admit(throttleName, remoteAddress);
    } catch (error) {
      this.#logger.debug({ username: throttleName, remoteAddress }, 'login refused: throttled');
      throw error;
    }
    const valid =
      typeof username === 'string' &&
      typeof password === 'string' &&
      username.length <= MAX_PASSWORD_LENGTH &&
      password.length <= MAX_PASSWORD_LENGTH;
    const user = valid ? await this.#store.users.findByUsername(username) : undefined;
    // Unknown users still pay for one scrypt, so response time does not reveal which names exist.
    const hash = user?.passwordHash ?? (await this.#getDummyHash());
    const matches = valid && (await verifyPassword(password, hash));
    if (!user || !matches) {
      this.#logger.info({ username: valid ? username : undefined, remoteAddress }, 'login failed');
      if (throttleStart !== undefined) {
        this.#logger.warn(
          { username: valid ? username : undefined, remoteAddress, ...throttleStart },
          'login throttled: further sign-ins must wait',
        );
      }
      throw new BotwireError('AUTH_FAILED', LOGIN_FAILED);
    }
    this.#throttle.recordSuccess(throttleName, remoteAddress);
    const data = await this.#openSession(user);
    this.#logger.info({ userId: user.id, username: user.username }, 'user logged in');
    return data;
  }

  /** Calls `listener` whenever credentials are revoked (logout, key revoked, user deleted...). */
  onRevoked(listener: (revocation: Revocation) => void): void {
    this.#revocationListeners.push(listener);
  }

  /**
   * A revocation another node made: closes this node's connections, without announcing it again.
   */
  applyRemoteRevocation(revocation: Revocation): void {
    for (const listener of this.#revocationListeners) listener(revocation);
  }

  /**
   * Whether the credential a live connection was opened with (its hash) still authenticates as
   * `principal`: for re-checking open connections after revocations may have been missed (a node
   * cut off from the cluster bus).
   */
  async isCredentialStillValid(principal: Principal, credentialHash: string): Promise<boolean> {
    // Static keys last as long as the config; a visitor's token is signed and was checked on
    // connect, and no revocation names it (a pipeline leaving public closes visitors itself).
    if (principal.kind === 'static_key' || principal.kind === 'visitor') return true;
    if (principal.kind === 'api_key') {
      const apiKey = await this.#store.apiKeys.findActiveByHash(credentialHash);
      return (
        apiKey !== undefined &&
        `key:${apiKey.id}` === principal.id &&
        (apiKey.expires_at === null || !this.#hasExpired(apiKey.expires_at))
      );
    }
    const user = await this.#store.sessions.findUser(credentialHash, this.#now().toISOString());
    return user !== undefined && `user:${user.id}` === principal.id && user.role === principal.role;
  }

  /** Whether a revocation made now would reach every node; throws `CLUSTER_UNAVAILABLE` if not. */
  #assertCanRevoke(): void {
    this.#announcer?.assertCanAnnounce();
  }

  async #revoke(revocation: Revocation): Promise<void> {
    for (const listener of this.#revocationListeners) listener(revocation);
    await this.#announcer?.announce(revocation);
  }

  /** Ends the session of this token; unknown tokens are ignored. */
  async logout(token: string): Promise<void> {
    if (typeof token !== 'string' || !isTokenOf('bw_session', token)) return;
    this.#assertCanRevoke();
    const tokenHash = hashToken(token);
    await this.#store.sessions.delete(tokenHash);
    await this.#revoke({ tokenHash });
  }

  /** Deletes expired sessions; returns how many. Meant for a periodic timer. */
  async deleteExpiredSessions(): Promise<number> {
    return this.#store.sessions.deleteExpired(this.#now().toISOString());
  }

  /**
   * The principal behind a credential: a static key from the config, an API key or a session
   * token. Undefined when it is none of them; never throws on malformed input (only when the
   * store itself fails).
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      return undefined;
    }
    const staticPrincipal = this.#matchStaticKey(token);
    if (staticPrincipal) return staticPrincipal;
    if (isTokenOf('bw_key', token)) return this.#authenticateApiKey(token);
    if (isTokenOf('bw_session', token)) return this.#authenticateSession(token);
    return undefined;
  }

  /**
   * Issues an API key. The key may not exceed its creator's rights: only admins make admin keys,
   * and a creator limited to some pipelines can only hand out a subset of them.
   */
  async createApiKey(
    creator: Principal,
    body: CreateApiKeyBody,
  ): Promise<{ api_key: ApiKey; key: string }> {
    const parsed = parseInput(this.#createApiKeyBodySchema, body);
    if (parsed.role === 'admin' && !isAdmin(creator)) {
      throw new BotwireError(
        'FORBIDDEN',
        `Creating an admin API key needs an admin role; ${describePrincipal(creator)} is a member.`,
      );
    }
    const pipelines = parsed.pipelines === null ? null : [...new Set(parsed.pipelines)];
    if (creator.pipelines !== null) {
      const outside =
        pipelines === null
          ? ['all pipelines']
          : pipelines.filter((uuid) => !canUsePipeline(creator, uuid));
      if (outside.length > 0) {
        throw new BotwireError(
          'FORBIDDEN',
          `${capitalize(describePrincipal(creator))} may only grant pipelines ${creator.pipelines.join(', ')}, not ${outside.join(', ')}.`,
        );
      }
    }
    const key = generateToken('bw_key');
    const apiKey = await this.#store.apiKeys.create({
      name: parsed.name,
      prefix: key.slice(0, PREFIX_LENGTH),
      keyHash: hashToken(key),
      role: parsed.role,
      pipelines,
      createdBy: creator.id,
      expiresAt: parsed.expires_at,
    });
    this.#logger.info(
      {
        apiKeyId: apiKey.id,
        name: apiKey.name,
        role: apiKey.role,
        createdBy: creator.id,
        expiresAt: apiKey.expires_at,
      },
      'API key created',
    );
    return { api_key: this.#withExpiredFlag(apiKey), key };
  }

  /** Every API key, revoked and expired ones included; never the secrets. */
  async listApiKeys(): Promise<ApiKey[]> {
    const keys = await this.#store.apiKeys.list();
    return keys.map((key) => this.#withExpiredFlag(key));
  }

  /** Revokes a key; it stops authenticating at once. */
  async revokeApiKey(id: number): Promise<void> {
    this.#assertCanRevoke();
    const revoked = Number.isSafeInteger(id) && (await this.#store.apiKeys.revoke(id));
    if (!revoked) throw new BotwireError('NOT_FOUND', `No active API key has id ${String(id)}.`);
    this.#logger.info({ apiKeyId: id }, 'API key revoked');
    this.#expiryWatch.forget(`key:${id}`);
    await this.#revoke({ principalId: `key:${id}` });
  }

  /** Stops waiting for API keys to expire (the server is stopping). */
  close(): void {
    this.#expiryWatch.close();
  }

  /** Creates a console user. */
  async createUser(body: CreateUserBody): Promise<User> {
    const parsed = parseInput(createUserBodySchema, body);
    const conflict = new BotwireError(
      'CONFLICT',
      `A user named ${parsed.username} already exists.`,
    );
    if (await this.#store.users.findByUsername(parsed.username)) throw conflict;
    const passwordHash = await hashPassword(parsed.password);
    let user: User;
    try {
      user = await this.#store.users.create({
        username: parsed.username,
        passwordHash,
        role: parsed.role,
      });
    } catch (error) {
      // Two concurrent requests can both pass the check above; the unique index stops the second.
      if (await this.#store.users.findByUsername(parsed.username)) throw conflict;
      throw error;
    }
    this.#logger.info(
      { userId: user.id, username: user.username, role: user.role },
      'user created',
    );
    return user;
  }

  async listUsers(): Promise<User[]> {
    return this.#store.users.list();
  }

  /** Deletes a user and their sessions. The last admin cannot be deleted: nobody could log in. */
  async deleteUser(id: number): Promise<void> {
    const user = Number.isSafeInteger(id) ? await this.#store.users.findById(id) : undefined;
    if (!user) throw new BotwireError('NOT_FOUND', `No user has id ${String(id)}.`);
    if (user.role === 'admin') {
      const admins = (await this.#store.users.list()).filter((other) => other.role === 'admin');
      if (admins.length <= 1) {
        throw new BotwireError(
          'CONFLICT',
          `${user.username} is the last admin and cannot be deleted.`,
        );
      }
    }
    this.#assertCanRevoke();
    await this.#store.sessions.deleteForUser(id);
    await this.#store.users.delete(id);
    this.#logger.info({ userId: id, username: user.username }, 'user deleted');
    await this.#revoke({ principalId: `user:${id}` });
  }

  /**
   * Gives a user another role (admin). The last admin cannot be demoted. The user's sessions
   * end and their live connections close, so nothing keeps running with the old rights.
   */
  async changeUserRole(id: number, role: Role): Promise<User> {
    const user = Number.isSafeInteger(id) ? await this.#store.users.findById(id) : undefined;
    if (!user) throw new BotwireError('NOT_FOUND', `No user has id ${String(id)}.`);
    if (user.role === role) return toUser(user);
    if (user.role === 'admin') {
      const admins = (await this.#store.users.list()).filter((other) => other.role === 'admin');
      if (admins.length <= 1) {
        throw new BotwireError(
          'CONFLICT',
          `${user.username} is the last admin and cannot stop being one.`,
        );
      }
    }
    this.#assertCanRevoke();
    await this.#store.users.updateRole(id, role);
    await this.#store.sessions.deleteForUser(id);
    this.#logger.info({ userId: id, username: user.username, role }, 'user role changed');
    await this.#revoke({ principalId: `user:${id}` });
    return toUser({ ...user, role });
  }

  /**
   * Changes a password after checking the current one, and ends the user's other sessions, since
   * a password change is often a reaction to a leak. Pass the session token the request came
   * with as `keepSessionToken` to keep that one session (its expiry restarts).
   */
  async changePassword(
    userId: number,
    currentPassword: string,
    newPassword: string,
    keepSessionToken?: string,
  ): Promise<void> {
    parseInput(changePasswordBodySchema, {
      current_password: currentPassword,
      new_password: newPassword,
    });
    const user = Number.isSafeInteger(userId)
      ? await this.#store.users.findById(userId)
      : undefined;
    if (!user) throw new BotwireError('NOT_FOUND', `No user has id ${String(userId)}.`);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new BotwireError('AUTH_FAILED', 'The current password is wrong.');
    }
    this.#assertCanRevoke();
    await this.#store.users.updatePassword(userId, await hashPassword(newPassword));

    let keep: string | undefined;
    if (keepSessionToken !== undefined && isTokenOf('bw_session', keepSessionToken)) {
      const tokenHash = hashToken(keepSessionToken);
      const owner = await this.#store.sessions.findUser(tokenHash, this.#now().toISOString());
      if (owner?.id === userId) keep = tokenHash;
    }
    await this.#store.sessions.deleteForUser(userId);
    if (keep !== undefined) {
      await this.#store.sessions.create({ tokenHash: keep, userId, expiresAt: this.#expiry() });
    }
    this.#logger.info({ userId, username: user.username }, 'password changed');
    await this.#revoke({
      principalId: `user:${userId}`,
      ...(keep === undefined ? {} : { exceptTokenHash: keep }),
    });
  }

  /**
   * Throws FORBIDDEN unless the principal may do `action`; with `pipelineUuid`, also unless its
   * credentials cover that pipeline.
   */
  authorize(principal: Principal, action: AuthAction, pipelineUuid?: string): void {
    if (action === 'admin' && !isAdmin(principal)) {
      throw new BotwireError(
        'FORBIDDEN',
        `This needs an admin role; ${describePrincipal(principal)} is a member.`,
      );
    }
    // Administration reaches every pipeline, keys and users, so credentials limited to some
    // pipelines may not do it whatever their role: the limit would be a fiction.
    if (action === 'admin' && principal.pipelines !== null) {
      throw new BotwireError(
        'FORBIDDEN',
        `This needs admin rights on the whole server; ${describePrincipal(principal)} is limited to some pipelines.`,
      );
    }
    if (
      pipelineUuid !== undefined &&
      principal.pipelines !== null &&
      !canUsePipeline(principal, pipelineUuid)
    ) {
      const allowed = principal.pipelines.length > 0 ? principal.pipelines.join(', ') : '(none)';
      throw new BotwireError(
        'FORBIDDEN',
        `${capitalize(describePrincipal(principal))} may only use pipelines ${allowed}.`,
      );
    }
  }

  #matchStaticKey(token: string): Principal | undefined {
    if (this.#staticKeys.length === 0) return undefined;
    // Comparing fixed-length digests keeps the time independent of the key and of the input.
    const digest = sha256(token);
    let found: Principal | undefined;
    for (const key of this.#staticKeys) {
      if (timingSafeEqual(digest, key.digest)) found ??= { ...key.principal };
    }
    return found;
  }

  async #authenticateApiKey(token: string): Promise<Principal | undefined> {
    const apiKey = await this.#store.apiKeys.findActiveByHash(hashToken(token));
    if (!apiKey) return undefined;
    if (apiKey.expires_at !== null) {
      if (this.#hasExpired(apiKey.expires_at)) {
        throw new BotwireError(
          'API_KEY_EXPIRED',
          expiredMessage({ name: apiKey.name, expires_at: apiKey.expires_at }),
        );
      }
      this.#expiryWatch.watch({
        principalId: `key:${apiKey.id}`,
        name: apiKey.name,
        expiresAt: apiKey.expires_at,
      });
    }
    this.#touch(apiKey);
    return {
      id: `key:${apiKey.id}`,
      name: apiKey.name,
      kind: 'api_key',
      role: apiKey.role,
      pipelines: apiKey.pipelines,
    };
  }

  async #authenticateSession(token: string): Promise<Principal | undefined> {
    const user = await this.#store.sessions.findUser(hashToken(token), this.#now().toISOString());
    if (!user) return undefined;
    return {
      id: `user:${user.id}`,
      name: user.username,
      kind: 'user',
      role: user.role,
      pipelines: null,
    };
  }

  #hasExpired(expiresAt: string): boolean {
    return Date.parse(expiresAt) <= this.#now().getTime();
  }

  #withExpiredFlag(key: StoredApiKey): ApiKey {
    return { ...key, expired: key.expires_at !== null && this.#hasExpired(key.expires_at) };
  }

  /** Closes the live connections of a key whose expiry just passed, telling them why. */
  #keyExpired(key: WatchedApiKey): void {
    this.#logger.info(
      { principalId: key.principalId, name: key.name, expiresAt: key.expiresAt },
      'API key expired; closing its connections',
    );
    // Every node watches the keys its own connections use, so an expiry is not announced.
    const revocation: Revocation = {
      principalId: key.principalId,
      error: {
        code: 'API_KEY_EXPIRED',
        message: expiredMessage({ name: key.name, expires_at: key.expiresAt }),
      },
    };
    for (const listener of this.#revocationListeners) listener(revocation);
  }

  /** Records use of a key without making the request wait for (or fail on) the write. */
  #touch(apiKey: StoredApiKey): void {
    const now = this.#now();
    const last = apiKey.last_used_at === null ? Number.NaN : Date.parse(apiKey.last_used_at);
    if (now.getTime() - last < TOUCH_INTERVAL_MS) return;
    this.#store.apiKeys.touchLastUsed(apiKey.id, now.toISOString()).catch((error: unknown) => {
      this.#logger.debug({ apiKeyId: apiKey.id, err: error }, 'could not record API key use');
    });
  }

  async #openSession(user: StoredUser): Promise<LoginData> {
    const token = generateToken('bw_session');
    const expiresAt = this.#expiry();
    await this.#store.sessions.create({ tokenHash: hashToken(token), userId: user.id, expiresAt });
    return { token, expires_at: expiresAt, user: toUser(user) };
  }

  #expiry(): string {
    return new Date(this.#now().getTime() + this.#config.sessionTtlHours * HOUR_MS).toISOString();
  }

  #getDummyHash(): Promise<string> {
    this.#dummyHash ??= hashPassword(generatePassword());
    return this.#dummyHash;
  }
}

function expiredMessage(key: { name: string; expires_at: string }): string {
  return `API key "${key.name}" expired at ${key.expires_at}. Create a new key (API keys in the console, or \`botwire keys create\`) and use it in place of this one.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
