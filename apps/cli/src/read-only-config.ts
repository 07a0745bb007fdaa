import { LedgerConfig, loadConfig } from '../../api/src/config';

/**
 * The configuration for a command that only reads the ledger (verify, export): it signs and checks
 * no token, so it must not create the local `jwt-secret` next to an auditor's copy of a ledger, as
 * loadConfig does when no secret is set.
 */
export const readOnlyConfig = (): LedgerConfig => loadConfig({ ...process.env, LEDGER_JWT_SECRET: process.env.LEDGER_JWT_SECRET || 'not-used-by-read-only-commands-of-the-cli' });
