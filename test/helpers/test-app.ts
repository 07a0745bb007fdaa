import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../apps/api/src/bootstrap';
import { LedgerConfig, loadConfig } from '../../apps/api/src/config';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { COUNTIES_2014 } from '../../libs/application/src/seed/counties-2014';
import { Role } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';

export const TEST_JWT_SECRET = 'test-secret-of-at-least-32-bytes!';

export interface TestAppOptions {
  /** The store to run on (default: a fresh MemoryEventStore). */
  store?: EventStore;
  /** Extra environment for loadConfig (LEDGER_STORE, LEDGER_JWT_SECRET and LEDGER_JWT_MAX_HOURS are set for you). */
  env?: Record<string, string>;
  /** Register the 19 counties of 2014 before returning (default false). */
  seed?: boolean;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: LedgerConfig;
  store: EventStore;
  tokens: TokenService;
  /** A supertest agent bound to the app's server: `t.http().post('/centres').set(...)`. */
  http: () => ReturnType<typeof request>;
  /** A signed bearer token (value only, without "Bearer "). */
  token: (roles: Role | Role[], counties?: string[], sub?: string) => Promise<string>;
  /** `{ Authorization: 'Bearer …' }` for the given roles and counties. */
  auth: (roles: Role | Role[], counties?: string[], sub?: string) => Promise<{ Authorization: string }>;
  close: () => Promise<void>;
}

const TEST_TOKEN_TTL_SECONDS = 3 * 86_400;
/** The longest token the test servers accept (LEDGER_JWT_MAX_HOURS): a week, the setting's largest value. */
const TEST_TOKEN_MAX_HOURS = '168';

/** Starts the real HTTP app on an in-memory store (or the given one), ready for supertest. */
export const startTestApp = async (opts: TestAppOptions = {}): Promise<TestApp> => {
  // Test tokens live three days (below) and some tests move the clock a day either way: the server
  // accepts tokens of up to a week here (LEDGER_JWT_MAX_HOURS), where its default is 24 h. A test of the
  // default passes `LEDGER_JWT_MAX_HOURS: ''` (empty: the default).
  // On EventStoreDB the views' checkpoints go to a SQLite file beside LEDGER_SQLITE_PATH: a folder of
  // this app's own unless the test names one, never the repository's ./data (shared by every test file
  // and every run, where a stand-in node's repeating positions would meet another run's checkpoint).
  const viewsDir = opts.store?.kind === 'eventstoredb' && !opts.env?.LEDGER_SQLITE_PATH ? mkdtempSync(join(tmpdir(), 'ledger-test-views-')) : null;
  const env = { ...(viewsDir ? { LEDGER_SQLITE_PATH: join(viewsDir, 'ledger.sqlite') } : {}), ...(opts.env ?? {}) };
  const config = loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: TEST_JWT_SECRET, LEDGER_JWT_MAX_HOURS: TEST_TOKEN_MAX_HOURS, ...env } as NodeJS.ProcessEnv);
  const store = opts.store ?? new MemoryEventStore();
  const app = await createApp(config, store);
  const tokens = new TokenService(config);
  const token = (roles: Role | Role[], counties: string[] = [], sub?: string) => {
    const list = Array.isArray(roles) ? roles : [roles];
    const id = sub ?? `${list.join('+')}${counties.length ? `@${counties.join('+')}` : ''}`;
    // Three days, not the service's 8 hours: tests that move the clock to Norway's next midnight
    // (up to ~24 h ahead, depending on the hour the suite runs) must not find their tokens expired.
    return tokens.issue({ sub: id, name: `Test ${id}`, roles: list, counties }, TEST_TOKEN_TTL_SECONDS);
  };
  const t: TestApp = {
    app,
    config,
    store,
    tokens,
    http: () => request(app.getHttpServer()),
    token,
    auth: async (roles, counties, sub) => ({ Authorization: `Bearer ${await token(roles, counties, sub)}` }),
    close: async () => {
      await app.close();
      if (viewsDir) rmSync(viewsDir, { recursive: true, force: true });
    },
  };
  if (opts.seed) await seedCounties(t);
  return t;
};

/** Registers the 19 counties of 2014 through HTTP as admin; returns how many were recorded (201). */
export const seedCounties = async (t: TestApp | NestFastifyApplication): Promise<number> => {
  const app = 'app' in t ? t.app : t;
  const config = 'config' in t ? t.config : loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
  const admin = await new TokenService(config).issue({ sub: 'seed-admin', name: 'Seed admin', roles: ['admin'], counties: [] });
  let recorded = 0;
  for (const c of COUNTIES_2014) {
    const res = await request(app.getHttpServer()).post('/counties').set('Authorization', `Bearer ${admin}`).send(c);
    if (res.status === 201) recorded++;
    else if (res.status !== 409) throw new Error(`seeding ${c.countyId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return recorded;
};
