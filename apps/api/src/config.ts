import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  /** Bytes of answers the HTTP answer cache may hold, in MiB (LEDGER_ANSWER_CACHE_MB, default 32; 0 turns it off). */
  answerCacheMb: number;
  /** Answers at least this long are gzipped for clients that accept it (LEDGER_GZIP_MIN_BYTES, default 8192). */
  gzipMinBytes: number;
  logLevel: 'silent' | 'info';
}

/**
 * The local HS256 secret: LEDGER_JWT_SECRET, or a random one kept next to the ledger file so the
 * server and `ledger token` agree without setup.
 */
export const localJwtSecret = (sqlitePath: string): string => {
  const file = resolve(dirname(sqlitePath), 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): LedgerConfig => {
  const sqlitePath = env.LEDGER_SQLITE_PATH ?? './data/ledger.sqlite';
  const esdb = env.EVENTSTORE_CONNECTION_STRING || null;
  const store = env.LEDGER_STORE === 'memory' ? 'memory' : esdb ? 'eventstoredb' : 'sqlite';
  const jwksUrl = env.LEDGER_JWKS_URL || null;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    store,
    sqlitePath,
    eventStoreConnectionString: esdb,
    jwtSecret: env.LEDGER_JWT_SECRET || (jwksUrl ? null : localJwtSecret(sqlitePath)),
    jwksUrl,
    jwtIssuer: env.LEDGER_JWT_ISSUER || null,
    jwtAudience: env.LEDGER_JWT_AUDIENCE || null,
    bodyLimitBytes: Number(env.LEDGER_BODY_LIMIT_BYTES ?? 64 * 1024),
    rateLimitPerMinute: Number(env.LEDGER_RATE_LIMIT_PER_MINUTE ?? 6000),
    answerCacheMb: Number(env.LEDGER_ANSWER_CACHE_MB ?? 32),
    gzipMinBytes: Number(env.LEDGER_GZIP_MIN_BYTES ?? 8 * 1024),
    logLevel: env.LEDGER_LOG === 'info' ? 'info' : 'silent',
  };
};
