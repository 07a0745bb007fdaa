import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { ConfigError } from './config-error';
import { sqlitePathProblem } from './startup-checks';
import { DEFAULT_TOKEN_MAX_HOURS, TOKEN_MAX_HOURS_LIMIT } from './auth/trust-window';

export { ConfigError } from './config-error';

export interface LedgerConfig {
  port: number;
  host: string;
  /** 'sqlite' (default), 'eventstoredb' when a connection string is set, or 'memory' for tests. */
  store: 'sqlite' | 'eventstoredb' | 'memory';
  sqlitePath: string;
  eventStoreConnectionString: string | null;
  jwtSecret: string | null;
  jwksUrl: string | null;
  jwtIssuer: string | null;
  jwtAudience: string | null;
  /** The longest a token may be valid, in hours (LEDGER_JWT_MAX_HOURS, default 24, 1–168): longer ones are refused. */
  jwtMaxHours: number;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  /** Bytes of answers the HTTP answer cache may hold, in MiB (LEDGER_ANSWER_CACHE_MB, default 32; 0 turns it off). */
  answerCacheMb: number;
  /** Answers (any 2xx) at least this long are gzipped for clients that accept it (LEDGER_GZIP_MIN_BYTES, default 8192). */
  gzipMinBytes: number;
  logLevel: 'silent' | 'info';
  /**
   * The proxies whose X-Forwarded-For is believed (LEDGER_TRUST_PROXY: addresses, CIDR ranges or
   * proxy-addr's names loopback, linklocal, uniquelocal). Unset: the client is the socket's address.
   */
  trustProxy?: readonly string[] | null;
}

/** RFC 7518 §3.2: an HS256 key is at least as long as the hash, 256 bits; a shorter one can be guessed offline from any token. */
export const MIN_SECRET_BYTES = 32;

/** LEDGER_JWT_SECRET as given, refused when it is too short to keep tokens from being forged. */
const strongSecret = (secret: string): string => {
  // Spaces around it are not part of a key anyone means (and a kept jwt-secret is read trimmed).
  const bytes = Buffer.byteLength(secret.trim());
  if (bytes < MIN_SECRET_BYTES) {
    throw new ConfigError(
      `LEDGER_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes (HS256 needs 256 bits; a shorter secret can be guessed from any token), not ${bytes}: use e.g. \`openssl rand -hex 32\`, or leave it unset for a random one kept beside the ledger file.`,
    );
  }
  return secret;
};

/**
 * The local HS256 secret: LEDGER_JWT_SECRET, or a random one kept next to the ledger file so the
 * server and `ledger token` agree without setup.
 */
const readlinkOr = (file: string): string => {
  try {
    return readlinkSync(file);
  } catch {
    return 'unreadable';
  }
};

/** Blocks this thread for `ms` (start-up only: nothing else runs yet). */
const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The secret a `jwt-secret` file keeps, refused with one line when it is empty or too short for HS256.
 * An empty file is read again for up to a second: on a file system without hard links another process
 * starting at the same moment creates it first and writes it after.
 */
const keptSecret = (file: string): string => {
  let kept = readFileSync(file, 'utf8').trim();
  for (let k = 0; !kept && k < 50; k++) {
    pause(20);
    kept = readFileSync(file, 'utf8').trim();
  }
  const remedy = 'delete it (a new secret is made at the next start; tokens issued before stop working) or set LEDGER_JWT_SECRET.';
  // An empty file (a full disk, a `touch`) would be no secret at all: every token refused.
  if (!kept) throw new ConfigError(`${file} is empty: ${remedy}`);
  if (Buffer.byteLength(kept) < MIN_SECRET_BYTES) {
    throw new ConfigError(`${file} holds a secret of ${Buffer.byteLength(kept)} bytes; HS256 needs at least ${MIN_SECRET_BYTES}: ${remedy.replace('a new secret', 'a new one')}`);
  }
  return kept;
};

/**
 * A new secret, written whole under another name, then linked into place, which fails if the file
 * exists: of two processes starting on a new ledger at the same moment one makes the secret, the
 * other reads it, and neither can read it half-written. Null when another process made it first.
 */
const newSecret = (file: string): string | null => {
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(draft, secret, { mode: 0o600, flush: true });
    try {
      linkSync(draft, file);
    } catch (e) {
      // A file system without hard links: created exclusively in place instead.
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      writeFileSync(file, secret, { mode: 0o600, flag: 'wx', flush: true });
    }
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw e;
  } finally {
    rmSync(draft, { force: true });
  }
};

/** A draft lives for milliseconds; one older than this was left by a start that was killed. */
const DRAFT_LEFT_AFTER_MS = 10 * 60_000;

/**
 * Drafts a start left beside `jwt-secret` when it was killed between writing one and removing it
 * (`jwt-secret.<pid>.<hex>`, of a process no longer running, written over ten minutes ago: a start in
 * another container sharing the folder has a pid this one cannot see): a secret no one uses, not to be left lying.
 */
const removeLeftDrafts = (file: string): void => {
  const draft = /^jwt-secret\.(\d+)\.[0-9a-f]{8}$/;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(draft.exec(name)?.[1]);
    if (!pid || pid === process.pid || running(pid)) continue;
    const path = resolve(dirname(file), name);
    try {
      if (Date.now() - statSync(path).mtimeMs < DRAFT_LEFT_AFTER_MS) continue;
      rmSync(path, { force: true });
    } catch {
      // A folder this user cannot write: the start says so below if it matters.
    }
  }
};

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // another user's process: running
  }
};

export const localJwtSecret = (sqlitePath: string): string => {
  const file = resolve(dirname(sqlitePath), 'jwt-secret');
  removeLeftDrafts(file);
  try {
    if (existsSync(file)) return keptSecret(file);
    const made = newSecret(file);
    if (made !== null) return made;
    // Made meanwhile by another process starting on the same ledger: read it. A name that exists but
    // does not lead to a file (a link to nothing) is told as such.
    if (existsSync(file)) return keptSecret(file);
    throw new ConfigError(`${file} is a link to a file that does not exist (${readlinkOr(file)}): make its target reachable, remove the link (a new secret is made at the next start; tokens issued before stop working) or set LEDGER_JWT_SECRET.`);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(
      `The local JWT secret cannot be kept at ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): set LEDGER_JWT_SECRET, or make LEDGER_SQLITE_PATH a file in a folder this user can write.`,
    );
  }
};

interface WholeNumber {
  /** Taken when the variable is unset or empty. */
  fallback: number;
  /** What the number means, for the message. */
  meaning: string;
  min?: number;
  max?: number;
}

/**
 * A whole-number setting: unset or empty takes the default; anything else must be digits only, within
 * [min, max]. A typo ('6000/min', '-5', 'abc') refuses to start, rather than becoming NaN or 0 and
 * silently turning a limit or the cache off.
 */
export const wholeNumberSetting = (env: NodeJS.ProcessEnv, name: string, { fallback, meaning, min = 0, max = Number.MAX_SAFE_INTEGER }: WholeNumber): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new ConfigError(`${name} must be a whole number ${range} (${meaning}), not ${JSON.stringify(raw.slice(0, 40))}; leave it unset or empty for the default, ${fallback}.`);
  }
  return value;
};

/**
 * LEDGER_TRUST_PROXY: behind a reverse proxy every request comes from the proxy's address, so every
 * client would share one rate-limit bucket. Naming the proxies lets the ledger take the client from
 * X-Forwarded-For, hop by hop, up to the first address it does not trust (a client cannot name
 * itself past a trusted proxy). There is no "trust everyone": that would let any client choose its bucket.
 */
export const trustProxySetting = (env: NodeJS.ProcessEnv): string[] | null => {
  const raw = env.LEDGER_TRUST_PROXY?.trim();
  if (!raw) return null;
  const list = raw.split(',').map((s) => s.trim());
  try {
    if (list.some((s) => s === '')) throw new Error('an empty entry');
    proxyAddr.compile(list);
  } catch (e) {
    throw new ConfigError(
      `LEDGER_TRUST_PROXY must be a comma-separated list of the proxies' addresses or CIDR ranges (e.g. 10.0.0.5,10.1.0.0/16) or the names loopback, linklocal, uniquelocal, not ${JSON.stringify(raw.slice(0, 80))} (${(e as Error).message}); leave it unset to take each client's own address.`,
    );
  }
  return list;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): LedgerConfig => {
  // The numbers first: a bad one refuses to start before anything is written (the local JWT secret).
  const port = wholeNumberSetting(env, 'PORT', { fallback: 3000, meaning: 'the HTTP port; 0 takes any free one', max: 65_535 });
  const bodyLimitBytes = wholeNumberSetting(env, 'LEDGER_BODY_LIMIT_BYTES', { fallback: 64 * 1024, meaning: 'the largest request body in bytes', min: 1 });
  const rateLimitPerMinute = wholeNumberSetting(env, 'LEDGER_RATE_LIMIT_PER_MINUTE', { fallback: 6000, meaning: 'requests per minute per client; 0 turns the limit off' });
  const answerCacheMb = wholeNumberSetting(env, 'LEDGER_ANSWER_CACHE_MB', { fallback: 32, meaning: 'MiB for the answer cache; 0 turns it off' });
  const trustProxy = trustProxySetting(env);
  const jwtMaxHours = wholeNumberSetting(env, 'LEDGER_JWT_MAX_HOURS', { fallback: DEFAULT_TOKEN_MAX_HOURS, meaning: 'the longest a token may be valid, in hours', min: 1, max: TOKEN_MAX_HOURS_LIMIT });
  const gzipMinBytes = wholeNumberSetting(env, 'LEDGER_GZIP_MIN_BYTES', { fallback: 8 * 1024, meaning: 'the shortest answer in bytes that is gzipped' });
  const sqlitePath = env.LEDGER_SQLITE_PATH ?? './data/ledger.sqlite';
  const esdb = env.EVENTSTORE_CONNECTION_STRING || null;
  const store = env.LEDGER_STORE === 'memory' ? 'memory' : esdb ? 'eventstoredb' : 'sqlite';
  const jwksUrl = env.LEDGER_JWKS_URL || null;
  // With JWKS no local secret signs or checks a token (TokenService): one left set is not judged.
  let jwtSecret = env.LEDGER_JWT_SECRET ? (jwksUrl === null ? strongSecret(env.LEDGER_JWT_SECRET) : env.LEDGER_JWT_SECRET) : null;
  if (jwtSecret === null && jwksUrl === null) {
    // The local secret is kept beside the ledger file: a path the server refuses must not get a jwt-secret written beside it first.
    const problem = store === 'sqlite' ? sqlitePathProblem(sqlitePath) : undefined;
    if (problem) throw new ConfigError(problem);
    jwtSecret = localJwtSecret(sqlitePath);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    store,
    sqlitePath,
    eventStoreConnectionString: esdb,
    jwtSecret,
    jwksUrl,
    jwtIssuer: env.LEDGER_JWT_ISSUER || null,
    jwtAudience: env.LEDGER_JWT_AUDIENCE || null,
    jwtMaxHours,
    bodyLimitBytes,
    rateLimitPerMinute,
    answerCacheMb,
    gzipMinBytes,
    logLevel: env.LEDGER_LOG === 'info' ? 'info' : 'silent',
    trustProxy,
  };
};
