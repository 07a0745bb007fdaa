import { allowedMethodsOf, methodNotAllowedBody, patternRegExp, routedPath } from './allowed-methods';

describe('patternRegExp (find-my-way patterns)', () => {
  it.each([
    ['/counties', null, []],
    ['/centres/:centreId', '/centres/kc-1', ['/centres/', '/centres/a/b', '/centres']],
    ['/centres/:centreId/funding-mix/:year', '/centres/kc/funding-mix/2014', ['/centres//funding-mix/2014', '/centres/kc/funding-mix/2014/']],
    ['/geo/:lat-:lng', '/geo/59-10', ['/geo/59', '/geo/-10']],
    ['/files/:name.json', '/files/a.b.json', ['/files/.json', '/files/a.csv']],
    ['/docs/*', '/docs/', ['/docs']],
    ['/docs/*', '/docs/static/index.css', ['/doc/x']],
    ['/a::b/:id', '/a:b/1', ['/a::b/1']],
    ['/n/:id(^\\d+$)', '/n/42', ['/n/x4']],
  ])('%s matches %s and not %j', (pattern, yes, nos) => {
    const re = patternRegExp(pattern);
    if (yes === null) return expect(re).toBeNull();
    expect(re!.test(yes)).toBe(true);
    for (const no of nos) expect([no, re!.test(no)]).toEqual([no, false]);
  });
});

describe('routedPath (what the router routes)', () => {
  it.each([
    ['/counties?limit=1', '/counties'],
    ['/counties#x', '/counties'],
    ['/c%6Funties/a%2Fb?x=%ZZ', '/counties/a%2Fb'], // decoded as decodeURI does: an encoded slash stays in its segment
    ['http://host:3000/counties?x', '/counties'],
    ['/counties/%E0%A4%A', null],
  ])('%s → %s', (url, path) => expect(routedPath(url)).toBe(path));
});

describe('allowedMethodsOf', () => {
  const allowed = allowedMethodsOf([
    { method: 'GET', url: '/counties' },
    { method: 'HEAD', url: '/counties' },
    { method: 'POST', url: '/counties' },
    { method: 'GET', url: '/counties/:countyId' },
    { method: 'POST', url: '/centres/:centreId/rename' },
    { method: 'GET', url: '/owner-agreements/cost-share-compliance/:year' },
    { method: 'GET', url: '/owner-agreements/:agreementId' },
    { method: 'POST', url: '/owner-agreements/:agreementId/amend' },
    { method: 'GET', url: '/docs' },
    { method: 'GET', url: '/docs/*' },
  ]);

  it('gives every method a path is routed for, in a fixed order, HEAD wherever GET (as Fastify exposes it)', () => {
    expect(allowed('/counties')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowed('/counties?x=1')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowed('/counties/telemark')).toEqual(['GET', 'HEAD']);
    expect(allowed('/centres/kc/rename')).toEqual(['POST']);
    // A static and a parametric pattern that both match: the union, as the router would take either.
    expect(allowed('/owner-agreements/cost-share-compliance/2014')).toEqual(['GET', 'HEAD']);
    expect(allowed('/owner-agreements/oa-1/amend')).toEqual(['POST']);
    expect(allowed('/docs')).toEqual(['GET', 'HEAD']);
    expect(allowed('/docs/swagger-ui.css')).toEqual(['GET', 'HEAD']);
  });

  it('gives none where no route would be found: unknown paths, a trailing or doubled slash, an empty parameter, another case', () => {
    for (const url of ['/nowhere', '/counties/', '//counties', '/counties/telemark/', '/centres//rename', '/Counties', '/counties/%E0%A4%A']) {
      expect([url, allowed(url)]).toEqual([url, []]);
    }
  });

  it('says which methods in the body and Allow', () => {
    expect(methodNotAllowedBody('DELETE', ['GET', 'HEAD'])).toEqual({
      statusCode: 405,
      code: 'ROUTE.METHOD_NOT_ALLOWED',
      message: 'This address does not take DELETE; it takes GET, HEAD.',
      details: { allowed: ['GET', 'HEAD'] },
    });
  });
});
