import { packId, unpackId } from './evidence';

describe('packId (ids in compact views)', () => {
  const ids = [
    '01768453-8a21-7456-b823-dd36513ddad5',
    'ba5b6c48-d489-4647-a3f7-e57cc73aeeb0.c1',
    'ba5b6c48-d489-4647-a3f7-e57cc73aeeb0.reversal',
    '01768453-8A21-7456-B823-DD36513DDAD5',
    'g1',
    'x.c1',
    '0',
    '42',
    '4294967294',
    '4294967295',
    '007',
    '',
    '!',
    '!x',
    'AXaEU4ohdFa4I9029RPd1Q',
    'constructor',
    '__proto__',
  ];

  it('round-trips every id', () => {
    for (const id of ids) expect(unpackId(packId(id))).toBe(id);
  });

  it('is one-to-one (no two ids share a packed form)', () => {
    const packed = ids.map(packId);
    expect(new Set(packed).size).toBe(ids.length);
    // A raw id that looks like a packed UUID does not collide with that UUID.
    expect(packId(packId('01768453-8a21-7456-b823-dd36513ddad5'))).not.toBe(packId('01768453-8a21-7456-b823-dd36513ddad5'));
  });

  it('packs a lowercase UUID into 22 characters and keeps its suffix', () => {
    expect(packId('01768453-8a21-7456-b823-dd36513ddad5')).toHaveLength(22);
    expect(packId('ba5b6c48-d489-4647-a3f7-e57cc73aeeb0.c1')).toMatch(/^[A-Za-z0-9_-]{22}\.c1$/);
  });

  it('keeps array-index ids as they are, so objects keyed by packed ids order their keys as before', () => {
    const raw = ['b', '10', 'a', '2'];
    const plain: Record<string, number> = {};
    const packed: Record<string, number> = {};
    raw.forEach((id, i) => {
      plain[id] = i;
      packed[packId(id)] = i;
    });
    expect(Object.values(packed)).toEqual(Object.values(plain));
  });
});
