import { fundingProjection, FundingView, positionIdsOf } from './funding/funding-view';
import { centreStaffPositions } from './funding/staff-positions';
import { recorded } from './funding/test-events';
import { grantsProjection, GrantsView, stimulusIdsOf } from './grants/grants-view';
import { idsOf, indexIds, noteId } from './ids-by-owner';
import { foldEvents } from './projection';

/** What the walks over a whole record did: every id, in for…in order, kept when its owner is the one asked about. */
const walked = <T>(record: Record<string, T>, owner: string, ownerOf: (item: T) => unknown): string[] => {
  const out: string[] = [];
  for (const id in record) if (ownerOf(record[id]) === owner) out.push(id);
  return out;
};

describe('ids by owner: an owner\'s ids in the order a walk over the whole record meets them', () => {
  it('array-index ids first in numeric order, then the others in the order added, however they were added', () => {
    const ids = ['b', '42', 'a', '7', '007', '4294967295', '0', '4294967294', 'c', '10'];
    const record: Record<string, { owner: string }> = {};
    const view = {};
    indexIds(view, Symbol.for('t'), record, (x: { owner: string }) => x.owner);
    for (const id of ids) {
      record[id] = { owner: 'o' };
      noteId(view, Symbol.for('t'), 'o', id);
    }
    expect(idsOf(view, Symbol.for('t'), 'o', () => record, (x) => x.owner)).toEqual(walked(record, 'o', (x) => x.owner));
    // Built from the record at once: the same.
    expect(idsOf({}, Symbol.for('t'), 'o', () => record, (x) => x.owner)).toEqual(walked(record, 'o', (x) => x.owner));
  });

  const position = (positionId: string, centreId: string, startedOn = '2012-01-01', personId?: string) => ({
    type: 'StaffPositionStarted',
    data: { positionId, centreId, countyId: 'telemark', title: 'R', employerKind: 'county-authority', employerPartyId: 'fk', startedOn, fteMilli: 600, payer: { kind: 'party', partyId: `pay-${positionId}` }, annualCostOre: 100_00, ...(personId ? { personId } : {}) },
  });
  const events = recorded([
    { type: 'CountyRegistered', data: { countyId: 'telemark', name: 'Telemark', countyNumber: '08' } },
    ...['a', 'b', 'constructor'].map((c) => ({ type: 'CentreRegistered', data: { centreId: c, countyId: 'telemark', name: c, municipality: 'X', openedOn: '2009-01-01' } })),
    position('p1', 'a', '2012-01-01', 'kari'),
    position('17', 'b'),
    position('p2', 'a', '2011-05-01', 'kari'),
    position('9', 'a', '2013-01-01', 'ola'),
    position('p3', 'constructor'),
    position('3', 'a', '2012-06-01', 'ola'),
    { type: 'StaffPositionEnded', data: { positionId: 'p2', endedOn: '2014-06-30' } },
  ]);
  const closing = recorded([{ type: 'CentreClosed', data: { centreId: 'a', closedOn: '2014-01-01' } }, position('p4', 'a', '2013-03-01')], events.length + 1);

  it('funding: the same ids for a folded view, the live and as-of views read back, and a copy; the snapshot is as without it', () => {
    const folded = foldEvents(fundingProjection, events);
    const stored = fundingProjection.serialize!(folded) as { state: string; parts: Record<string, string> };
    const views: [string, FundingView][] = [
      ['folded', folded],
      ['live', fundingProjection.deserialize!(stored.state, 'live', (k) => stored.parts[k])],
      ['as-of', fundingProjection.deserialize!(stored.state, 'as-of', (k) => stored.parts[k])],
      ['copy', JSON.parse(JSON.stringify(folded)) as FundingView],
    ];
    for (const [name, view] of views) {
      for (const c of ['a', 'b', 'constructor', 'toString', 'none']) expect([name, c, positionIdsOf(view, c)]).toEqual([name, c, walked(folded.positions, c, (p) => p.centreId)]);
      expect(Object.keys(view)).toEqual(Object.keys(folded));
      expect(JSON.stringify(view)).toEqual(JSON.stringify(folded));
    }
    expect(positionIdsOf(folded, 'a')).toEqual(['3', '9', 'p1', 'p2']);
    expect(centreStaffPositions(folded, 'a').map((l) => l.positionId)).toEqual(['p2', 'p1', '3', '9']);
  });

  it('funding: a closing (and a later position) folds to the same view and snapshot whichever way the view was read back', () => {
    const straight = foldEvents(fundingProjection, [...events, ...closing]);
    const stored = fundingProjection.serialize!(foldEvents(fundingProjection, events)) as { state: string; parts: Record<string, string> };
    const want = fundingProjection.serialize!(straight) as { state: string; parts: Record<string, string> };
    for (const purpose of ['live', 'as-of'] as const) {
      const back = foldEvents(fundingProjection, closing, fundingProjection.deserialize!(stored.state, purpose, (k) => stored.parts[k]));
      expect(JSON.stringify(back)).toEqual(JSON.stringify(straight));
      expect(fundingProjection.serialize!(back)).toEqual(want);
      expect(positionIdsOf(back, 'a')).toEqual(walked(straight.positions, 'a', (p) => p.centreId));
    }
    // A copy (no index) folds the closing to the same view.
    expect(JSON.stringify(foldEvents(fundingProjection, closing, JSON.parse(JSON.stringify(foldEvents(fundingProjection, events)))))).toEqual(JSON.stringify(straight));
  });

  it('grants: a centre\'s stimulus-grant applications, folded, read back and copied; an id applied for again under another centre', () => {
    const apply = (applicationId: string, centreId: string | null) => ({ type: 'StimulusGrantApplied', data: { applicationId, countyId: 'telemark', year: 2014, purpose: 'development', amountAskedOre: 100_00, description: 'U', centreId, appliedOn: '2014-02-01' } });
    const log = recorded([apply('s1', 'a'), apply('5', 'a'), apply('s2', 'b'), apply('s3', null), apply('s4', 'a'), apply('2', 'a')]);
    const folded = foldEvents(grantsProjection, log);
    const text = JSON.stringify(folded);
    const views: [string, GrantsView][] = [
      ['folded', folded],
      ['live', grantsProjection.deserialize!(text, 'live', () => '')],
      ['as-of', grantsProjection.deserialize!(text, 'as-of', () => '')],
      ['copy', JSON.parse(text) as GrantsView],
    ];
    for (const [name, view] of views) {
      for (const c of ['a', 'b', 'null', 'none']) expect([name, c, stimulusIdsOf(view, c)]).toEqual([name, c, walked(folded.stimulus, c, (s) => s.centreId)]);
      expect(JSON.stringify(view)).toBe(text);
    }
    const again = foldEvents(grantsProjection, recorded([apply('s1', 'b')], 10), folded);
    for (const c of ['a', 'b']) expect(stimulusIdsOf(again, c)).toEqual(walked(again.stimulus, c, (s) => s.centreId));
  });
});
