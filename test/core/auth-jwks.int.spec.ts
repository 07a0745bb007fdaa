import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { TokenService } from '../../apps/api/src/auth/token.service';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** A real identity provider is reached by its JWKS URL: here a tiny one on the loopback address. */
describe('bearer tokens from an identity provider (RS256 via JWKS)', () => {
  let server: Server;
  let url: string;
  let privateKey: Key;
  let otherKey: Key;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const sign = (key: Key, claims: Record<string, unknown>, opts: { iss?: string; aud?: string; exp?: number } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('kari@telemark').setIssuedAt(now).setExpirationTime(opts.exp ?? now + 600);
    if (opts.iss) jwt = jwt.setIssuer(opts.iss);
    if (opts.aud) jwt = jwt.setAudience(opts.aud);
    return jwt.sign(key);
  };

  it('verifies an RS256 token against the JWKS and maps its claims to the actor', async () => {
    const tokens = new TokenService({ jwtSecret: null, jwksUrl: url, jwtIssuer: 'https://idp.example', jwtAudience: 'ledger' });
    const token = await sign(privateKey, { name: 'Kari Nordmann', roles: ['finance-officer', 'nonsense'], counties: ['telemark'] }, { iss: 'https://idp.example', aud: 'ledger' });
    expect(await tokens.verify(token)).toEqual({ id: 'kari@telemark', name: 'Kari Nordmann', roles: ['finance-officer'], counties: ['telemark'] });
  });

  it('refuses a token signed by another key, for another audience or issuer, expired, or without a known role', async () => {
    const tokens = new TokenService({ jwtSecret: null, jwksUrl: url, jwtIssuer: 'https://idp.example', jwtAudience: 'ledger' });
    const claims = { name: 'K', roles: ['auditor'], counties: [] };
    await expect(tokens.verify(await sign(otherKey, claims, { iss: 'https://idp.example', aud: 'ledger' }))).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID', kind: 'unauthenticated' });
    await expect(tokens.verify(await sign(privateKey, claims, { iss: 'https://idp.example', aud: 'other' }))).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    await expect(tokens.verify(await sign(privateKey, claims, { iss: 'https://evil.example', aud: 'ledger' }))).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    await expect(tokens.verify(await sign(privateKey, claims, { iss: 'https://idp.example', aud: 'ledger', exp: Math.floor(Date.now() / 1000) - 120 }))).rejects.toMatchObject({ code: 'AUTH.TOKEN_EXPIRED' });
    await expect(tokens.verify(await sign(privateKey, { name: 'K', roles: ['king'] }, { iss: 'https://idp.example', aud: 'ledger' }))).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('with a JWKS configured, an HS256 token (even one signed with a guessed secret) is refused, and no local token can be issued', async () => {
    const tokens = new TokenService({ jwtSecret: null, jwksUrl: url, jwtIssuer: null, jwtAudience: null });
    const hs = await new TokenService({ jwtSecret: 'guess', jwksUrl: null, jwtIssuer: null, jwtAudience: null }).issue({ sub: 'eve', name: 'Eve', roles: ['admin'], counties: [] });
    await expect(tokens.verify(hs)).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    await expect(tokens.issue({ sub: 'x', name: 'x', roles: ['admin'], counties: [] })).rejects.toThrow(/identity provider/);
  });
});
