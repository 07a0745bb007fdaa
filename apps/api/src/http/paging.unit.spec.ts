import { DomainError } from '../../../../libs/domain/src/shared';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, nextLink, page, paged, parseLimit, writePageHeaders } from './paging';

const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `kc-${String(i + 1).padStart(2, '0')}`, n: i + 1 }));
const idOf = (x: { id: string }) => x.id;
const URL_ = '/centres?limit=2';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe('invalid');
    return (e as DomainError).code;
  }
  return undefined;
};

/** Follows next links the way a client would: the `after` of each next URL. */
const walk = <T>(items: readonly T[], by: (x: T) => string | number, limit: number) => {
  const pages: T[][] = [];
  let url = `/list?limit=${limit}`;
  for (let guard = 0; guard < 1000; guard++) {
    const after = new URLSearchParams(url.split('?')[1]).get('after') ?? undefined;
    const p = page(items, by, { limit: String(limit), after }, url);
    pages.push(p.items);
    expect(p.total).toBe(items.length);
    if (p.next === null) return pages;
    url = p.next;
  }
  throw new Error('did not end');
};

describe('page', () => {
  const items = ids(5);

  it('answers the list itself, unchanged, when the request does not page', () => {
    const p = page(items, idOf, {}, '/centres');
    expect(p).toEqual({ items, next: null, total: null });
    expect(p.items).toBe(items);
    expect(page(items, idOf, undefined, '/centres').items).toBe(items);
  });

  it('first page: the first N items and a next link naming the last of them', () => {
    const p = page(items, idOf, { limit: '2' }, URL_);
    expect(p.items.map(idOf)).toEqual(['kc-01', 'kc-02']);
    expect(p.total).toBe(5);
    expect(p.next).toBe(`/centres?limit=2&after=${encodeCursor('kc-02')}`);
  });

  it('middle page: continues after the cursor', () => {
    const p = page(items, idOf, { limit: '2', after: encodeCursor('kc-02') }, `/centres?limit=2&after=${encodeCursor('kc-02')}`);
    expect(p.items.map(idOf)).toEqual(['kc-03', 'kc-04']);
    expect(p.next).toBe(`/centres?limit=2&after=${encodeCursor('kc-04')}`);
  });

  it('last page: the rest and no next link', () => {
    const p = page(items, idOf, { limit: '2', after: encodeCursor('kc-04') }, '/centres?limit=2');
    expect(p.items.map(idOf)).toEqual(['kc-05']);
    expect(p.next).toBeNull();
  });

  it('exact multiple of the limit: the last full page has no next link (no empty page follows)', () => {
    const four = ids(4);
    expect(walk(four, idOf, 2).map((pg) => pg.map(idOf))).toEqual([
      ['kc-01', 'kc-02'],
      ['kc-03', 'kc-04'],
    ]);
    expect(page(four, idOf, { limit: '4' }, '/x?limit=4')).toEqual({ items: four, next: null, total: 4 });
  });

  it('after the last item: an empty page, no next link', () => {
    expect(page(items, idOf, { limit: '2', after: encodeCursor('kc-05') }, '/x')).toEqual({ items: [], next: null, total: 5 });
  });

  it('empty list: an empty page, no next link, total 0', () => {
    expect(page([], idOf, { limit: '10' }, '/x?limit=10')).toEqual({ items: [], next: null, total: 0 });
  });

  it('after without limit: the rest of the list', () => {
    expect(page(items, idOf, { after: encodeCursor('kc-03') }, '/x').items.map(idOf)).toEqual(['kc-04', 'kc-05']);
  });

  it('following the links visits every item once, in order, for every page size', () => {
    const list = ids(23);
    for (const limit of [1, 2, 3, 5, 7, 22, 23, 24, 1000]) {
      const pages = walk(list, idOf, limit);
      expect(pages.flat()).toEqual(list);
      expect(pages.length).toBe(Math.max(1, Math.ceil(list.length / limit)));
      expect(pages.every((pg) => pg.length <= limit)).toBe(true);
    }
  });

  it('numeric ids (grant scheme years) and ids with any characters round-trip as cursors', () => {
    const years = [2013, 2014, 2015].map((year) => ({ year }));
    expect(walk(years, (y) => y.year, 2).flat()).toEqual(years);
    const odd = ['a b', 'ø/å?&=', 'x'.repeat(200), '#1'].map((id) => ({ id }));
    expect(walk(odd, idOf, 1).flat()).toEqual(odd);
  });

  it('pages stay correct while items are added: an item added after the cursor is on a later page, none is repeated or skipped', () => {
    const first = page(items, idOf, { limit: '2' }, URL_);
    const grown = [...items, { id: 'kc-06', n: 6 }];
    const after = new URLSearchParams(first.next!.split('?')[1]).get('after')!;
    const second = page(grown, idOf, { limit: '2', after }, first.next!);
    expect(second.items.map(idOf)).toEqual(['kc-03', 'kc-04']);
    const third = page(grown, idOf, { limit: '2', after: new URLSearchParams(second.next!.split('?')[1]).get('after')! }, second.next!);
    expect(third.items.map(idOf)).toEqual(['kc-05', 'kc-06']);
    expect(third.next).toBeNull();
  });

  it('bad limits are 400 REQUEST.BAD_LIMIT', () => {
    for (const limit of ['0', '-1', '1001', '10000', '1.5', 'abc', '', ' 2', '2 ', '02', '1e2', '0x10', ['2', '3'], 5, null]) {
      expect(codeOf(() => page(items, idOf, { limit }, '/x'))).toBe('REQUEST.BAD_LIMIT');
    }
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit(String(MAX_PAGE_SIZE))).toBe(MAX_PAGE_SIZE);
    expect(parseLimit(undefined)).toBeNull();
  });

  it('a bad limit says what a finance officer should send', () => {
    try {
      parseLimit('5000');
      throw new Error('no error');
    } catch (e) {
      expect((e as DomainError).message).toMatch(/whole number from 1 to 1000/);
      expect((e as DomainError).details).toEqual({ limit: '5000', max: 1000 });
    }
  });

  it('bad cursors are 400 REQUEST.BAD_CURSOR: garbled, not base64url, or naming no item of the list', () => {
    for (const after of ['', '!!', 'a b', 'x'.repeat(401), 'kc-01=', ['a', 'b'], 3, encodeCursor('kc-99'), 'a' /* not a canonical encoding */]) {
      expect(codeOf(() => page(items, idOf, { limit: '2', after }, '/x'))).toBe('REQUEST.BAD_CURSOR');
    }
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor(encodeCursor('kc-01'))).toBe('kc-01');
  });

  it('a cursor whose item is then filtered away names no item of this list: 400 REQUEST.BAD_CURSOR (start again)', () => {
    const first = page(items, idOf, { limit: '2' }, URL_);
    const after = new URLSearchParams(first.next!.split('?')[1]).get('after')!;
    const filtered = items.filter((x) => x.id !== 'kc-02');
    expect(codeOf(() => page(filtered, idOf, { limit: '2', after }, first.next!))).toBe('REQUEST.BAD_CURSOR');
    // the same cursor still works on the list that holds its item
    expect(page(items, idOf, { limit: '2', after }, first.next!).items.map(idOf)).toEqual(['kc-03', 'kc-04']);
  });
});

describe('nextLink', () => {
  it('keeps the path and every other parameter as sent (asOf, date, filters, limit) and replaces after', () => {
    expect(nextLink('/parties?countyId=telemark&limit=2&asOf=2014-05-09T23:59:59Z', 'abc')).toBe('/parties?countyId=telemark&limit=2&asOf=2014-05-09T23:59:59Z&after=abc');
    expect(nextLink('/boards?after=old&limit=2&after=older', 'new')).toBe('/boards?limit=2&after=new');
    expect(nextLink('/boards?%61fter=old&limit=2', 'new')).toBe('/boards?limit=2&after=new');
    expect(nextLink('/centres', 'c')).toBe('/centres?after=c');
    expect(nextLink('/centres?', 'c')).toBe('/centres?after=c');
    expect(nextLink('/x?asOf=2014-05-09T23%3A59%3A59%2B02%3A00&limit=1', 'c')).toBe('/x?asOf=2014-05-09T23%3A59%3A59%2B02%3A00&limit=1&after=c');
    expect(nextLink('/x?afterward=1&limit=1', 'c')).toBe('/x?afterward=1&limit=1&after=c');
  });

  it('percent-encodes anything that may not stand inside <…> of a Link header', () => {
    expect(nextLink('/x?q=a b<c>"d"&limit=1', 'c')).toBe('/x?q=a%20b%3Cc%3E%22d%22&limit=1&after=c');
  });
});

describe('writePageHeaders and paged', () => {
  const recorder = () => {
    const headers: Record<string, string> = {};
    return { headers, reply: { header: (name: string, value: string) => (headers[name] = value) } };
  };

  it('writes nothing when the request does not page', () => {
    const { headers, reply } = recorder();
    const items = ids(3);
    expect(paged(items, idOf, { query: {}, url: '/centres' }, reply)).toBe(items);
    expect(headers).toEqual({});
  });

  it('writes Link (RFC 8288) and X-Total-Count when more follow', () => {
    const { headers, reply } = recorder();
    expect(paged(ids(3), idOf, { query: { limit: '2' }, url: '/centres?limit=2' }, reply).map(idOf)).toEqual(['kc-01', 'kc-02']);
    expect(headers).toEqual({ link: `</centres?limit=2&after=${encodeCursor('kc-02')}>; rel="next"`, 'x-total-count': '3' });
  });

  it('writes only X-Total-Count on the last page', () => {
    const { headers, reply } = recorder();
    writePageHeaders(reply, { items: [], next: null, total: 7 });
    expect(headers).toEqual({ 'x-total-count': '7' });
  });
});
