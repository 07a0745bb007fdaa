import { ROLES, Role } from '../../../../libs/domain/src/shared';
import { loadConfig } from '../../../api/src/config';
import { TokenService } from '../../../api/src/auth/token.service';
import { Args, checked, CommandShape, flag, flags } from '../args';

export const tokenHelp = 'token --role ROLE [--county ID ...] [--sub ID] [--name NAME] [--ttl SECONDS]   issue a local bearer token';
export const tokenShape: CommandShape = { help: tokenHelp, operands: [] };

/** Issues a local HS256 token for trying the API and for tests. */
export const tokenCommand = checked('token', tokenShape, async (args: Args): Promise<number> => {
  const roles = flags(args, 'role') as Role[];
  const bad = roles.filter((r) => !ROLES.includes(r));
  if (roles.length === 0 || bad.length) {
    console.error(`Give --role, one of: ${ROLES.join(', ')}${bad.length ? ` (unknown: ${bad.join(', ')})` : ''}`);
    return 2;
  }
  const counties = flags(args, 'county');
  const sub = flag(args, 'sub') ?? `${roles[0]}${counties.length ? `-${counties.join('-')}` : ''}`;
  const tokens = new TokenService(loadConfig());
  // 8 hours unless asked otherwise, or the longest LEDGER_JWT_MAX_HOURS allows when that is shorter.
  const ttl = Number(flag(args, 'ttl') ?? Math.min(8 * 3600, tokens.maxLifetimeSeconds));
  if (!Number.isSafeInteger(ttl) || ttl <= 0) {
    console.error('--ttl must be a whole number of seconds greater than 0');
    return 2;
  }
  // The server refuses a token valid for longer than LEDGER_JWT_MAX_HOURS: issuing one would only fail later.
  if (ttl > tokens.maxLifetimeSeconds) {
    console.error(`--ttl must be at most ${tokens.maxLifetimeSeconds} seconds (${tokens.maxLifetimeSeconds / 3600} hours, LEDGER_JWT_MAX_HOURS): the server refuses tokens valid for longer`);
    return 2;
  }
  const token = await tokens.issue({ sub, name: flag(args, 'name') ?? sub, roles, counties }, ttl);
  console.log(token);
  return 0;
});
