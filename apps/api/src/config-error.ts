/** A setting the service cannot start with (loadConfig names the variable and what it takes). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
