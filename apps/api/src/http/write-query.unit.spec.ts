import { queryOfWriteRefused, refuseQueryOfWrite } from './write-query';

describe('queryOfWriteRefused', () => {
  it('refuses any query parameter of a write, naming them (at most ten, each at most 64 characters)', () => {
    expect(queryOfWriteRefused('POST', { dryRun: 'true' })).toMatchObject({ code: 'REQUEST.UNKNOWN_QUERY', kind: 'invalid', details: { parameters: ['dryRun'] }, message: expect.stringMatching(/^This request takes no query parameters: dryRun; nothing was recorded\./) });
    for (const method of ['PUT', 'PATCH', 'DELETE']) expect(queryOfWriteRefused(method, { a: '1' })?.code).toBe('REQUEST.UNKNOWN_QUERY');
    const many = queryOfWriteRefused('POST', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`${'p'.repeat(70)}${i}`, '1'])));
    expect(many?.details.parameters).toHaveLength(10);
    expect((many?.details.parameters as string[]).every((p) => p.length === 64)).toBe(true);
    expect(many?.message).toContain(', …;');
    expect(queryOfWriteRefused('POST', { '': 'x' })?.message).toContain('parameters: ""; nothing');
  });

  it('lets reads and writes without parameters through', () => {
    expect(queryOfWriteRefused('GET', { limit: '1' })).toBeNull();
    expect(queryOfWriteRefused('HEAD', { limit: '1' })).toBeNull();
    expect(queryOfWriteRefused('POST', {})).toBeNull();
    expect(queryOfWriteRefused('POST', undefined)).toBeNull();
    expect(() => refuseQueryOfWrite(undefined, { a: '1' })).not.toThrow();
    expect(() => refuseQueryOfWrite('POST', { a: '1' })).toThrow(expect.objectContaining({ code: 'REQUEST.UNKNOWN_QUERY' }));
  });
});
