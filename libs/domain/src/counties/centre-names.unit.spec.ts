import { nameInYear, nameOn, withName } from './centre-names';

describe('centre names by date', () => {
  const registered = [{ name: 'Registrert', from: '2010-01-01' }];

  it('adds a rename by its date, whatever order renames are recorded in; the later recorded wins a tie', () => {
    let names = withName(registered, 'Fremtid', '2099-01-01');
    names = withName(names, 'Midt', '2013-07-01');
    names = withName(names, 'Mars', '2013-03-01');
    names = withName(names, 'Midt igjen', '2013-07-01');
    expect(names.map((n) => n.name)).toEqual(['Registrert', 'Mars', 'Midt', 'Midt igjen', 'Fremtid']);
    expect(registered).toHaveLength(1); // not changed in place
  });

  it('names a day by the last name in force on it; before the first, the registered name', () => {
    const names = withName(withName(registered, 'Ny', '2013-07-01'), 'Fremtid', '2099-01-01');
    expect(['2009-12-31', '2010-01-01', '2013-06-30', '2013-07-01', '2098-12-31', '2099-01-01'].map((d) => nameOn(names, d))).toEqual(['Registrert', 'Registrert', 'Registrert', 'Ny', 'Ny', 'Fremtid']);
    expect([2012, 2013, 2099].map((y) => nameInYear(names, y))).toEqual(['Registrert', 'Ny', 'Fremtid']);
    expect(nameOn([], '2013-01-01')).toBe('');
  });
});
