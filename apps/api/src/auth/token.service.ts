import { createRemoteJWKSet, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { Actor, DomainError, Role, ROLES } from '../../../../libs/domain/src/shared';
import { DEFAULT_TOKEN_MAX_HOURS, JWKS_CACHE_MS, MAX_SUBJECT_LENGTH, TOKEN_CLOCK_LEEWAY_S, VERIFIED_TTL_MS } from './trust-window';
import { isBlank, isPlainText } from '../../../../libs/application/src/plain-text';

export interface TokenClaims {
  sub: string;
  name: string;
  roles: Role[];
  counties: string[];
}

export interface TokenConfig {
  jwtSecret: string | null;
  jwksUrl: string | null;
  jwtIssuer: string | null;
  jwtAudience: string | null;
  /** The longest a token may be valid, in hours (LEDGER_JWT_MAX_HOURS; default DEFAULT_TOKEN_MAX_HOURS). */
  jwtMaxHours?: number;
}

const unauthorized = (code: string, message: string, details: Record<string, unknown> = {}): DomainError => new DomainError(code, message, 'unauthenticated', details);

/** Issues (locally) and verifies bearer JWTs: HS256 from a configured secret, or RS256 from a JWKS issuer. */
export class TokenService {
  private readonly secret: Uint8Array | null;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;
  /** The longest a token may be valid (exp after iat, and after now), in seconds. */
  readonly maxLifetimeSeconds: number;

  constructor(private readonly config: TokenConfig) {
    this.maxLifetimeSeconds = (config.jwtMaxHours ?? DEFAULT_TOKEN_MAX_HOURS) * 3600;
    this.secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : null;
    this.jwks = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: JWKS_CACHE_MS }) : null;
  }

  async issue(claims: TokenClaims, ttlSeconds = 8 * 3600): Promise<string> {
    if (!this.secret) throw new Error('no local JWT secret configured: tokens come from the identity provider');
    if (ttlSeconds > this.maxLifetimeSeconds) throw new Error(`a token valid for ${ttlSeconds} s would be refused: at most ${this.maxLifetimeSeconds} s (LEDGER_JWT_MAX_HOURS)`);
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT({ name: claims.name, roles: claims.roles, counties: claims.counties })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds);
    if (this.config.jwtIssuer) jwt = jwt.setIssuer(this.config.jwtIssuer);
    if (this.config.jwtAudience) jwt = jwt.setAudience(this.config.jwtAudience);
    return jwt.sign(this.secret);
  }

  /**
   * Tokens already verified, so a client sending the same bearer token on every request pays for
   * the signature check once (jose's HS256 verify costs more than a whole cached read). An entry
   * is used until the token's own `exp` (then the same AUTH.TOKEN_EXPIRED as a full check) and
   * for at most VERIFIED_TTL_MS, after which the token is verified in full again against a key set
   * at most JWKS_CACHE_MS old (so a key removed from the JWKS stops being honoured within their
   * sum, see trust-window.ts). Bounded in size.
   */
  private readonly verified = new Map<string, { actor: Omit<Actor, 'actingRole'>; exp: number; until: number }>();
  private static readonly VERIFIED_MAX = 10_000;

  /** Verifies signature, expiry (required) and claims; returns the actor or throws a 401 DomainError. */
  async verify(token: string): Promise<Omit<Actor, 'actingRole'>> {
    const known = this.verifiedActor(token);
    if (known) return known;
    const actor = await this.verifyFully(token);
    return { ...actor, roles: [...actor.roles], counties: [...actor.counties] };
  }

  /**
   * The actor of a token verified less than VERIFIED_TTL_MS ago, without waiting (undefined when
   * it must be verified in full: `verify`); throws the same AUTH.TOKEN_EXPIRED once its `exp` passed.
   */
  verifiedActor(token: string): Omit<Actor, 'actingRole'> | undefined {
    const hit = this.verified.get(token);
    if (!hit) return undefined;
    const now = Date.now();
    if (Math.floor(now / 1000) >= hit.exp) {
      this.verified.delete(token);
      throw unauthorized('AUTH.TOKEN_EXPIRED', 'Your sign-in has expired; get a new token.');
    }
    if (now < hit.until) return { ...hit.actor, roles: [...hit.actor.roles], counties: [...hit.actor.counties] };
    this.verified.delete(token);
    return undefined;
  }

  /** Until when (ms since the epoch) a verified token is trusted without a full check again (undefined when it is not trusted now). */
  trustedUntil(token: string): number | undefined {
    return this.verified.get(token)?.until;
  }

  private async verifyFully(token: string): Promise<Omit<Actor, 'actingRole'>> {
    let payload: JWTPayload;
    try {
      const opts = { issuer: this.config.jwtIssuer ?? undefined, audience: this.config.jwtAudience ?? undefined, requiredClaims: ['exp', 'sub'] };
      payload = this.jwks
        ? (await jwtVerify(token, this.jwks, { ...opts, algorithms: ['RS256'] })).payload
        : (await jwtVerify(token, this.secret!, { ...opts, algorithms: ['HS256'] })).payload;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw unauthorized('AUTH.TOKEN_EXPIRED', 'Your sign-in has expired; get a new token.');
      throw unauthorized('AUTH.TOKEN_INVALID', 'The bearer token is not valid (bad signature, format or claims).');
    }
    // `sub` is the actor's identity (votes as yourself, idempotency per user, the audit trail): a
    // non-empty string (RFC 7519 §4.1.2), never a value turned into one (["admin"] → "admin").
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > MAX_SUBJECT_LENGTH) {
      throw unauthorized('AUTH.TOKEN_INVALID', `The token's subject (sub) must be a text of 1–${MAX_SUBJECT_LENGTH} characters.`);
    }
    const sub = payload.sub;
    // The subject is written into every event's metadata and searched by the audit log's actor filter: plain text, not blank.
    if (!isPlainText(sub) || isBlank(sub)) throw unauthorized('AUTH.TOKEN_INVALID', "The token's subject (sub) must be plain text on one line (no control characters), not blank.");
    // A JSON exp of 1e400 reads as Infinity, which jose takes for a number: such a token would never expire.
    if (!Number.isFinite(payload.exp)) throw unauthorized('AUTH.TOKEN_INVALID', "The token's expiry (exp) must be a finite time.");
    this.requireBoundedLifetime(payload.exp!, payload.iat);
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
    const counties = Array.isArray(payload.counties) ? payload.counties.filter((c): c is string => typeof c === 'string') : [];
    if (roles.length === 0) throw unauthorized('AUTH.TOKEN_INVALID', 'The token carries no known role.');
    const actor = { id: sub, name: typeof payload.name === 'string' ? payload.name : sub, roles, counties };
    if (this.verified.size >= TokenService.VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { actor, exp: payload.exp!, until: Date.now() + VERIFIED_TTL_MS });
    return actor;
  }

  /**
   * A token is valid for at most maxLifetimeSeconds: its `exp` at most that long after its `iat`, and
   * (whatever `iat` says: missing, or far in the future) at most that long after now, give or take
   * TOKEN_CLOCK_LEEWAY_S for an issuer whose clock runs a little ahead. The same bound for local
   * (HS256) and identity-provider (JWKS) tokens. (jose has already checked that iat, when given, is a number.)
   */
  private requireBoundedLifetime(exp: number, iat: number | undefined): void {
    const max = this.maxLifetimeSeconds;
    const now = Math.floor(Date.now() / 1000);
    if ((iat !== undefined && exp - iat > max) || exp - now > max + TOKEN_CLOCK_LEEWAY_S) {
      const hours = max / 3600;
      const message = `This sign-in token is valid for longer than the ledger accepts (at most ${hours} hours from when it was issued); get a new token, valid for ${hours} hours or less.`;
      throw unauthorized('AUTH.TOKEN_INVALID', message, { maxHours: hours });
    }
  }
}
