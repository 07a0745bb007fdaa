import { nameOn, namesByDate, renameAfter } from './centre-names';

describe("a centre's rename still to come", () => {
  // As the centre directory keeps them: registered first, then renames in the order recorded.
  const recorded = [
    { name: 'Registrert', from: '2010-01-01' },
    { name: 'Fjern', from: '2030-01-01' },
    { name: 'Nå', from: '2013-07-01' },
    { name: 'Snart (utkast)', from: '2027-02-01' },
    { name: 'Snart', from: '2027-02-01' },
  ];

  it('puts the recorded names in date order (the later recorded last on the same day)', () => {
    expect(namesByDate(recorded).map((n) => n.name)).toEqual(['Registrert', 'Nå', 'Snart (utkast)', 'Snart', 'Fjern']);
    expect(namesByDate([])).toEqual([]);
  });

  it('is the earliest rename dated after the day (the last recorded on that day), null when none is', () => {
    const byDate = namesByDate(recorded);
    expect(renameAfter(byDate, '2026-11-27')).toEqual({ name: 'Snart', effectiveFrom: '2027-02-01' });
    expect(nameOn(byDate, '2026-11-27')).toBe('Nå');
    expect(renameAfter(byDate, '2027-01-31')).toEqual({ name: 'Snart', effectiveFrom: '2027-02-01' });
    expect(renameAfter(byDate, '2027-02-01')).toEqual({ name: 'Fjern', effectiveFrom: '2030-01-01' });
    expect(nameOn(byDate, '2027-02-01')).toBe('Snart');
    expect(renameAfter(byDate, '2030-01-01')).toBeNull();
    expect(renameAfter(byDate, '2009-12-31')).toEqual({ name: 'Nå', effectiveFrom: '2013-07-01' });
  });

  it('the registration is not a rename, even before the centre opens', () => {
    expect(renameAfter(namesByDate([{ name: 'Registrert', from: '2030-01-01' }]), '2026-11-27')).toBeNull();
  });
});
