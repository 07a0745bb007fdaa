import { parseArgs } from '../args';
import { tokenCommand } from './token';

describe('ledger token --ttl', () => {
  const saved = { ...process.env };
  let errors: string[];
  let printed: string[];
  beforeEach(() => {
    // A secret in the environment: no jwt-secret file is written.
    process.env.LEDGER_JWT_SECRET = 'cli-token-spec-secret-of-32-bytes!!';
    process.env.LEDGER_STORE = 'memory';
    delete process.env.LEDGER_JWT_MAX_HOURS;
    errors = [];
    printed = [];
    jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    jest.spyOn(console, 'log').mockImplementation((m: string) => void printed.push(m));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });
  const run = (...argv: string[]) => tokenCommand(parseArgs(argv));

  it('refuses a lifetime longer than the server accepts (24 h by default), naming the limit; issues up to it', async () => {
    expect(await run('--role', 'admin', '--ttl', String(24 * 3600 + 1))).toBe(2);
    expect(errors.join('\n')).toContain('--ttl must be at most 86400 seconds (24 hours, LEDGER_JWT_MAX_HOURS)');
    expect(printed).toEqual([]);
    expect(await run('--role', 'admin', '--ttl', String(100 * 365 * 86400))).toBe(2);
    expect(await run('--role', 'admin', '--ttl', String(24 * 3600))).toBe(0);
    expect(await run('--role', 'admin')).toBe(0);
    expect(printed).toHaveLength(2);
  });

  it('follows LEDGER_JWT_MAX_HOURS', async () => {
    process.env.LEDGER_JWT_MAX_HOURS = '48';
    expect(await run('--role', 'admin', '--ttl', String(30 * 3600))).toBe(0);
    expect(await run('--role', 'admin', '--ttl', String(49 * 3600))).toBe(2);
  });
});
