import { allEligibility, allEligibilityJson, countyEligibility, CountyEligibility, countyEligibilityJson, CriterionVerdict, eligibilityCsv, evidenceOf as ev, grantsProjection, own, parseDetail, summaryOf, verdictsOf } from '.';
import { foldEvents } from '../projection';
import { guidancePartnershipsProjection } from '../governance/agreements-view';
import { TestLog } from './test-log';

const J = '2014-03-01';

const criterion = (r: CountyEligibility, id: string): CriterionVerdict => {
  const walk = (cs: CriterionVerdict[]): CriterionVerdict | undefined => {
    for (const c of cs) {
      if (c.id === id) return c;
      const sub = c.subCriteria ? walk(c.subCriteria) : undefined;
      if (sub) return sub;
    }
    return undefined;
  };
  const found = walk(r.criteria) ?? walk(r.centres.flatMap((c) => c.criteria));
  if (!found) throw new Error(`no criterion ${id}`);
  return found;
};

/** Given an eligible Telemark plus `tweak`, when Vox judges 2014 on 2014-03-01 (or with overrides). */
const judge = (tweak: (log: TestLog) => void = () => {}, opts: { build?: (log: TestLog) => void; overrides?: Parameters<TestLog['scheme']>[3] } = {}) => {
  const log = new TestLog();
  if (opts.build) opts.build(log);
  else log.eligibleCounty('telemark', 'Telemark', '08');
  tweak(log);
  log.scheme(2014, J, 26_600_000_00, opts.overrides ?? {});
  return countyEligibility(log.view(), 2014, 'telemark');
};

/** Builds Telemark like eligibleCounty but lets a test leave one fact out. */
const build = (skip: string[], extra: (log: TestLog) => void = () => {}) => (log: TestLog) => {
  log.county('telemark', 'Telemark', '08');
  log.party('telemark-county', 'county-authority', 'telemark', 'Telemark fylkeskommune');
  log.party('nav-telemark', 'nav-county-office', 'telemark', 'NAV Telemark');
  log.party('nav-skien', 'nav-local-office', 'telemark', 'NAV Skien');
  log.centre('telemark-kc', 'telemark', '2009-01-01', 'Karrieresenter Telemark');
  if (!skip.includes('partnership')) log.partnership('telemark', 'p1', ['telemark-county', 'nav-telemark'], '2013-06-01', '2013-06-01', null);
  if (!skip.includes('coordinating')) log.coordinating('telemark', 'telemark-county', '2013-01-01', null);
  if (!skip.includes('declaration')) log.declare('telemark-kc', 'telemark', '2013-01-01', 19);
  if (!skip.includes('primary')) log.activity('telemark-kc', 'telemark', '2013-03-10', ['primary-lower-secondary-counsellors']);
  if (!skip.includes('upper')) log.activity('telemark-kc', 'telemark', '2013-09-05', ['upper-secondary-counsellors']);
  if (!skip.includes('nav')) log.activity('telemark-kc', 'telemark', '2013-11-20', ['nav-staff']);
  if (!skip.includes('survey')) log.survey('telemark-kc', 'telemark', '2013-01-01', '2013-12-31');
  if (!skip.includes('report')) log.report('telemark-kc', 'telemark', 2013, '2014-02-15');
  extra(log);
};

describe('base-grant eligibility, criteria-2014 (given events, when judged on 2014-03-01)', () => {
  it('a county with every piece of evidence is eligible, and every criterion cites its deciding events', () => {
    const r = judge();
    expect(r.eligible).toBe(true);
    expect(r.criteria.map((c) => [c.id, c.passed])).toEqual([
      ['1', true],
      ['2', true],
      ['3', true],
    ]);
    expect(r.qualifyingCentres).toEqual([{ centreId: 'telemark-kc', name: 'Karrieresenter Telemark' }]);
    expect(r.missing).toEqual([]);
    const c1 = criterion(r, '1');
    expect(ev(r, c1).map((e) => e.type)).toEqual(['PartyRegistered', 'PartyRegistered', 'PartnershipAgreementSigned']);
    expect(ev(r, c1).every((e) => e.link === `/audit/events/${e.eventId}` && e.position > 0 && e.streamId.length > 0)).toBe(true);
    expect(c1.reason.en).toContain('NAV Telemark');
    expect(c1.reason.nb).toContain('i kraft den 2014-03-01');
    expect(ev(r, criterion(r, '3c-ii'))[0].dates).toEqual({ year: 2013, submittedOn: '2014-02-15' });
    expect(r.scheme.windows.competenceDevelopment).toEqual({ from: '2013-01-01', to: J });
    expect(r.reason.nb).toContain('oppfyller alle kriteriene');
  });

  describe('1: signed partnership agreement with the county authority and the NAV county office, in force', () => {
    it('fails with no agreement, and says what is missing', () => {
      const r = judge(() => {}, { build: build(['partnership']) });
      expect(r.eligible).toBe(false);
      expect(criterion(r, '1').passed).toBe(false);
      expect(criterion(r, '1').reason.en).toBe('The county has no recorded partnership agreement.');
      expect(r.missing.map((m) => m.criterion)).toEqual(['1']);
      expect(r.missing[0].nb).toContain('partnerskapsavtale');
    });

    it('fails when the agreement lapsed the day before the judging date', () => {
      const r = judge(() => {}, { build: build(['partnership'], (l) => l.partnership('telemark', 'p1', ['telemark-county', 'nav-telemark'], '2013-06-01', '2013-06-01', '2014-02-28')) });
      expect(criterion(r, '1').passed).toBe(false);
      expect(criterion(r, '1').reason.en).toContain('only ran until 2014-02-28');
      expect(ev(r, criterion(r, '1')).map((e) => e.type)).toContain('PartnershipAgreementSigned');
      expect(r.eligible).toBe(false);
    });

    it('passes when the agreement runs until the judging date itself', () => {
      const r = judge(() => {}, { build: build(['partnership'], (l) => l.partnership('telemark', 'p1', ['telemark-county', 'nav-telemark'], '2013-06-01', '2013-06-01', J)) });
      expect(criterion(r, '1').passed).toBe(true);
      expect(r.eligible).toBe(true);
    });

    it('fails when terminated with effect from the judging date, passes when terminated from the day after', () => {
      const from = judge((l) => l.terminatePartnership('telemark', 'telemark-partnership', J));
      expect(criterion(from, '1').passed).toBe(false);
      expect(criterion(from, '1').reason.en).toContain('terminated with effect from 2014-03-01');
      expect(ev(from, criterion(from, '1')).map((e) => e.type)).toContain('PartnershipAgreementTerminated');
      const after = judge((l) => l.terminatePartnership('telemark', 'telemark-partnership', '2014-03-02'));
      expect(criterion(after, '1').passed).toBe(true);
    });

    it('fails when signed only after the judging date, even if its period began earlier', () => {
      const r = judge(() => {}, { build: build(['partnership'], (l) => l.partnership('telemark', 'p1', ['telemark-county', 'nav-telemark'], '2014-03-02', '2014-01-01', null)) });
      expect(criterion(r, '1').passed).toBe(false);
      expect(criterion(r, '1').reason.en).toContain('only signed on 2014-03-02');
    });

    it('fails when the NAV party is a local office, not the NAV county office', () => {
      const r = judge(() => {}, { build: build(['partnership'], (l) => l.partnership('telemark', 'p1', ['telemark-county', 'nav-skien'], '2013-06-01', '2013-06-01', null)) });
      expect(criterion(r, '1').passed).toBe(false);
      expect(criterion(r, '1').reason.en).toContain('does not have the NAV county office as a party');
      expect(criterion(r, '1').reason.nb).toContain('NAV fylke');
    });

    it('follows amendments: dropping NAV before the judging date fails, dropping it after passes', () => {
      const before = judge((l) => {
        l.party('skien', 'municipality', 'telemark');
        l.amendPartnership('telemark', 'telemark-partnership', '2014-02-01', ['telemark-county', 'skien'], '2013-06-01', null);
      });
      expect(criterion(before, '1').passed).toBe(false);
      expect(ev(before, criterion(before, '1')).map((e) => e.type)).toContain('PartnershipAgreementAmended');
      const after = judge((l) => {
        l.party('skien', 'municipality', 'telemark');
        l.amendPartnership('telemark', 'telemark-partnership', '2014-03-02', ['telemark-county', 'skien'], '2013-06-01', null);
      });
      expect(criterion(after, '1').passed).toBe(true);
    });

    it('a scheme window over a longer period needs the agreement in force on every day of it', () => {
      // A window ends by the judging date (GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE): the gap lies before it.
      const tweak = (l: TestLog) => {
        l.terminatePartnership('telemark', 'telemark-partnership', '2014-01-01');
        l.partnership('telemark', 'telemark-2014', ['telemark-county', 'nav-telemark'], '2014-01-15', '2014-01-15', null);
      };
      expect(criterion(judge(tweak), '1').passed).toBe(true);
      const r = judge(tweak, { overrides: { partnershipAgreement: { from: '2013-07-01', to: J } } });
      expect(criterion(r, '1').passed).toBe(false);
      expect(criterion(r, '1').reason.en).toContain('on 2014-01-01');
    });
  });

  describe('2: coordinating function', () => {
    it('fails with none', () => {
      const r = judge(() => {}, { build: build(['coordinating']) });
      expect(criterion(r, '2').passed).toBe(false);
      expect(r.missing.map((m) => m.criterion)).toEqual(['2']);
    });

    it('fails when it ended the day before the judging date, passes when it ended on it', () => {
      const dayBefore = judge((l) => l.endCoordinating('telemark', 'telemark-county', '2014-02-28'));
      expect(criterion(dayBefore, '2').passed).toBe(false);
      expect(criterion(dayBefore, '2').reason.en).toContain('held it until 2014-02-28');
      expect(ev(dayBefore, criterion(dayBefore, '2')).map((e) => e.type)).toContain('CoordinatingFunctionEnded');
      const onTheDay = judge((l) => l.endCoordinating('telemark', 'telemark-county', J));
      expect(criterion(onTheDay, '2').passed).toBe(true);
    });

    it('ended twice, the second time earlier: judged by the last end, as the governance view holds it', () => {
      let second: { eventId: string; position: number } | undefined;
      const tweak = (l: TestLog) => {
        l.endCoordinating('telemark', 'telemark-county', '2014-06-30');
        second = l.endCoordinating('telemark', 'telemark-county', '2014-02-15');
      };
      const r = judge(tweak);
      expect(criterion(r, '2').passed).toBe(false);
      expect(criterion(r, '2').reason.en).toContain('held it until 2014-02-15');
      expect(ev(r, criterion(r, '2')).filter((e) => e.type === 'CoordinatingFunctionEnded').map((e) => [e.eventId, e.dates.endedOn])).toEqual([[second!.eventId, '2014-02-15']]);
      // the governance view folds the same events to the same last day
      const log = new TestLog();
      log.eligibleCounty('telemark', 'Telemark', '08');
      tweak(log);
      const governance = foldEvents(guidancePartnershipsProjection, log.events).telemark.coordinating;
      expect(governance.map((c) => [c.to, c.ended?.eventId])).toEqual([['2014-02-15', second!.eventId]]);
      expect(log.view().counties.telemark.coordinating.map((c) => [c.endedOn, c.endedRef?.eventId])).toEqual([['2014-02-15', second!.eventId]]);
    });

    it('fails when it starts only the day after the judging date', () => {
      const r = judge(() => {}, { build: build(['coordinating'], (l) => l.coordinating('telemark', 'telemark-county', '2014-03-02', null)) });
      expect(criterion(r, '2').passed).toBe(false);
      expect(criterion(r, '2').reason.en).toContain('only holds it from 2014-03-02');
    });
  });

  describe('3a: free guidance for all adults over 19', () => {
    it('fails for a centre that offers guidance only from age 25', () => {
      const r = judge(() => {}, { build: build(['declaration'], (l) => l.declare('telemark-kc', 'telemark', '2013-01-01', 25)) });
      expect(criterion(r, '3a').passed).toBe(false);
      expect(criterion(r, '3a').reason.en).toContain('only from age 25');
      expect(r.eligible).toBe(false);
      expect(r.missing.map((m) => [m.criterion, m.centreId])).toEqual([['3a', 'telemark-kc']]);
    });

    it('reads "over 19" as 19 and older: from 19 passes, from 20 fails, from 16 passes', () => {
      const at = (age: number) => criterion(judge(() => {}, { build: build(['declaration'], (l) => l.declare('telemark-kc', 'telemark', '2013-01-01', age)) }), '3a').passed;
      expect([at(16), at(19), at(20)]).toEqual([true, true, false]);
    });

    it('fails when not free of charge, or not open to all adults', () => {
      const paid = judge(() => {}, { build: build(['declaration'], (l) => l.declare('telemark-kc', 'telemark', '2013-01-01', 19, false, true)) });
      expect(criterion(paid, '3a').reason.en).toContain('not free of charge');
      const closed = judge(() => {}, { build: build(['declaration'], (l) => l.declare('telemark-kc', 'telemark', '2013-01-01', 19, true, false)) });
      expect(criterion(closed, '3a').reason.en).toContain('not open to all adults');
      expect([criterion(paid, '3a').passed, criterion(closed, '3a').passed]).toEqual([false, false]);
    });

    it('uses the declaration in effect on the judging date: a later one does not count yet, one from that day does', () => {
      expect(criterion(judge((l) => l.declare('telemark-kc', 'telemark', '2014-03-02', 25)), '3a').passed).toBe(true);
      const r = judge((l) => l.declare('telemark-kc', 'telemark', J, 25));
      expect(criterion(r, '3a').passed).toBe(false);
      expect(ev(r, criterion(r, '3a'))[0].dates).toEqual({ effectiveFrom: J, fromAge: 25 });
    });

    it('fails with no declaration, and for a centre closed from the judging date', () => {
      expect(criterion(judge(() => {}, { build: build(['declaration']) }), '3a').reason.en).toContain('has no service declaration that applies on 2014-03-01');
      // closed from the judging date: not open on any day of the window, so listed as not considered
      const closed = judge((l) => l.closeCentre('telemark-kc', J));
      expect(closed.eligible).toBe(false);
      expect(closed.centres).toEqual([]);
      expect(closed.centresNotConsidered).toEqual([
        { centreId: 'telemark-kc', name: 'Karrieresenter Telemark', openedOn: '2009-01-01', closedOn: J, reason: { nb: 'Karrieresenter Telemark er stengt fra 2014-03-01, og var ikke åpent den 2014-03-01.', en: 'Karrieresenter Telemark is closed from 2014-03-01, so it was not open on 2014-03-01.' } },
      ]);
      expect(criterion(closed, '3').reason.en).toBe('The county had no open career centre on 2014-03-01.');
      // what decides 3 is why the centre was not considered: its registration and its closure
      expect(ev(closed, criterion(closed, '3')).map((e) => [e.type, e.dates])).toEqual([
        ['CentreRegistered', { openedOn: '2009-01-01' }],
        ['CentreClosed', { closedOn: J }],
      ]);
      expect(criterion(judge((l) => l.closeCentre('telemark-kc', '2014-03-02')), '3a').passed).toBe(true);
      // with a longer window, a centre closing inside it is judged, and fails 3a from its closing day
      const inside = judge((l) => l.closeCentre('telemark-kc', '2014-02-01'), { overrides: { freeGuidance: { from: '2014-01-01' } } });
      expect(criterion(inside, '3a').reason.en).toContain('closed from 2014-02-01');
    });

    it('a scheme may raise the age limit: from 25 passes when maxFromAge is 25', () => {
      const r = judge(() => {}, { build: build(['declaration'], (l) => l.declare('telemark-kc', 'telemark', '2013-01-01', 25)), overrides: { freeGuidance: { maxFromAge: 25 } } });
      expect(criterion(r, '3a').passed).toBe(true);
    });
  });

  describe('3b: competence development for all three groups', () => {
    it('fails with two of the three groups, and names the missing one', () => {
      const r = judge(() => {}, { build: build(['nav']) });
      const c = criterion(r, '3b');
      expect(c.passed).toBe(false);
      expect(c.subCriteria!.map((s) => [s.key, s.passed])).toEqual([
        ['primary-lower-secondary-counsellors', true],
        ['upper-secondary-counsellors', true],
        ['nav-staff', false],
      ]);
      expect(c.reason.en).toContain('no competence development for NAV staff');
      expect(r.missing).toEqual([{ criterion: '3b-nav-staff', centreId: 'telemark-kc', nb: expect.stringContaining('veiledere i NAV'), en: expect.stringContaining('NAV staff') }]);
    });

    it('cites the most recent activity per group in the window and counts them all', () => {
      const r = judge(() => {}, {
        build: build([], (l) => {
          for (const d of ['2013-02-01', '2014-01-15', '2013-12-01', '2012-12-31', '2014-03-02', '2013-06-01']) l.activity('telemark-kc', 'telemark', d, ['nav-staff']);
        }),
      });
      const nav = criterion(r, '3b-nav-staff');
      expect(ev(r, nav).map((e) => e.dates.deliveredOn)).toEqual(['2014-01-15']);
      expect(nav.reason.en).toBe('5 activities for NAV staff between 2013-01-01 and 2014-03-01, the latest on 2014-01-15.');
    });

    it('counts an activity on the first day of the window, not the day before', () => {
      const onFirstDay = judge(() => {}, { build: build(['nav'], (l) => l.activity('telemark-kc', 'telemark', '2013-01-01', ['nav-staff'])) });
      expect(criterion(onFirstDay, '3b').passed).toBe(true);
      const dayBefore = judge(() => {}, { build: build(['nav'], (l) => l.activity('telemark-kc', 'telemark', '2012-12-31', ['nav-staff'])) });
      expect(criterion(dayBefore, '3b').passed).toBe(false);
    });

    it('counts an activity on the judging date, not the day after', () => {
      expect(criterion(judge(() => {}, { build: build(['nav'], (l) => l.activity('telemark-kc', 'telemark', J, ['nav-staff'])) }), '3b').passed).toBe(true);
      expect(criterion(judge(() => {}, { build: build(['nav'], (l) => l.activity('telemark-kc', 'telemark', '2014-03-02', ['nav-staff'])) }), '3b').passed).toBe(false);
    });

    it('one activity reaching all three groups is enough', () => {
      const r = judge(() => {}, {
        build: build(['primary', 'upper', 'nav'], (l) => l.activity('telemark-kc', 'telemark', '2013-05-05', ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'], 'network-meeting')),
      });
      expect(criterion(r, '3b').passed).toBe(true);
      const cited = criterion(r, '3b').subCriteria!.map((x) => ev(r, x).map((e) => e.type));
      expect(cited).toEqual([['CompetenceDevelopmentDelivered'], ['CompetenceDevelopmentDelivered'], ['CompetenceDevelopmentDelivered']]);
      expect(new Set(criterion(r, '3b').subCriteria!.map((x) => x.evidence[0].eventId)).size).toBe(1);
    });
  });

  describe('3c: quality assurance through the user survey and annual reporting', () => {
    it('fails when the annual report was submitted one day late, passes on the deadline', () => {
      const late = judge(() => {}, { build: build(['report'], (l) => l.report('telemark-kc', 'telemark', 2013, '2014-03-02')) });
      expect(criterion(late, '3c-ii').passed).toBe(false);
      expect(criterion(late, '3c-ii').reason.en).toContain('1 day(s) after the deadline 2014-03-01');
      expect(criterion(late, '3c').passed).toBe(false);
      expect(late.eligible).toBe(false);
      const onTime = judge(() => {}, { build: build(['report'], (l) => l.report('telemark-kc', 'telemark', 2013, J)) });
      expect(criterion(onTime, '3c-ii').passed).toBe(true);
    });

    it('a withdrawn report no longer counts; the report recorded after it does', () => {
      const withdrawn = judge((l) => {
        const rep = l.events.find((e) => e.type === 'AnnualReportSubmitted')!;
        l.add('GrantEvidenceWithdrawn', { evidenceId: (rep.data as { reportId: string }).reportId, centreId: 'telemark-kc', countyId: 'telemark', evidenceType: 'AnnualReportSubmitted', reason: 'wrong' }, 'grant-evidence-telemark-kc');
      });
      expect(criterion(withdrawn, '3c-ii').passed).toBe(false);
      const replaced = judge((l) => {
        const rep = l.events.find((e) => e.type === 'AnnualReportSubmitted')!;
        l.add('GrantEvidenceWithdrawn', { evidenceId: (rep.data as { reportId: string }).reportId, centreId: 'telemark-kc', countyId: 'telemark', evidenceType: 'AnnualReportSubmitted', reason: 'wrong' }, 'grant-evidence-telemark-kc');
        l.report('telemark-kc', 'telemark', 2013, '2014-02-27');
      });
      expect(criterion(replaced, '3c-ii').passed).toBe(true);
      expect(ev(replaced, criterion(replaced, '3c-ii'))[0].dates).toEqual({ year: 2013, submittedOn: '2014-02-27' });
    });

    it("fails when only another year's report is in", () => {
      const r = judge(() => {}, { build: build(['report'], (l) => l.report('telemark-kc', 'telemark', 2012, '2013-02-01')) });
      expect(criterion(r, '3c-ii').reason.en).toContain('has not submitted an annual report for 2013');
    });

    it('a scheme may move the deadline: the late report passes with deadline 2014-03-15', () => {
      const r = judge(() => {}, { build: build(['report'], (l) => l.report('telemark-kc', 'telemark', 2013, '2014-03-02')), overrides: { annualReport: { deadline: '2014-03-15' } } });
      expect(criterion(r, '3c-ii').passed).toBe(true);
    });

    it('the user survey must cover the whole window: two adjoining periods pass, a one-day gap fails', () => {
      const adjoining = judge(() => {}, {
        build: build(['survey'], (l) => {
          l.survey('telemark-kc', 'telemark', '2013-07-01', '2013-12-31');
          l.survey('telemark-kc', 'telemark', '2013-01-01', '2013-06-30');
        }),
      });
      expect(criterion(adjoining, '3c-i').passed).toBe(true);
      expect(criterion(adjoining, '3c-i').evidence).toHaveLength(2);
      expect(criterion(adjoining, '3c').evidence).toEqual([]);
      const gap = judge(() => {}, {
        build: build(['survey'], (l) => {
          l.survey('telemark-kc', 'telemark', '2013-01-01', '2013-06-30');
          l.survey('telemark-kc', 'telemark', '2013-07-02', '2013-12-31');
        }),
      });
      expect(criterion(gap, '3c-i').passed).toBe(false);
      expect(criterion(gap, '3c-i').reason.en).toContain('from 2013-07-01 to 2013-07-01');
    });

    it('fails with no survey, or one ending a day short', () => {
      expect(criterion(judge(() => {}, { build: build(['survey']) }), '3c-i').reason.en).toContain('no recorded user-survey participation');
      const short = judge(() => {}, { build: build(['survey'], (l) => l.survey('telemark-kc', 'telemark', '2013-01-01', '2013-12-30')) });
      expect(criterion(short, '3c-i').passed).toBe(false);
      expect(short.missing[0].en).toContain('from 2013-12-31 to 2013-12-31');
    });
  });

  describe('3: at least one centre', () => {
    it('one qualifying centre of several is enough; only it is listed as qualifying', () => {
      const r = judge((l) => {
        l.centre('telemark-2', 'telemark', '2012-01-01', 'Karrieresenter Notodden');
        l.declare('telemark-2', 'telemark', '2012-01-01', 25);
      });
      expect(r.eligible).toBe(true);
      expect(r.centres.map((c) => [c.centreId, c.qualifies])).toEqual([
        ['telemark-kc', true],
        ['telemark-2', false],
      ]);
      expect(r.qualifyingCentres.map((c) => c.centreId)).toEqual(['telemark-kc']);
      expect(criterion(r, '3').reason.en).toBe('1 of 2 centres meet 3a–3c: Karrieresenter Telemark.');
    });

    it('a centre opened after the judging date is not judged, only listed', () => {
      const r = judge((l) => l.centre('telemark-new', 'telemark', '2014-08-01', 'Karrieresenter Notodden'));
      expect(r.eligible).toBe(true);
      expect(r.centres.map((c) => c.centreId)).toEqual(['telemark-kc']);
      expect(r.centresNotConsidered.map((c) => [c.centreId, c.reason.en])).toEqual([['telemark-new', 'Karrieresenter Notodden only opened on 2014-08-01, so it was not open on 2014-03-01.']]);
    });

    it('with no centre open on the judging date, 3 cites each centre not considered: its registration and, when closed, its closure', () => {
      const r = judge(() => {}, {
        build: build([], (l) => {
          l.closeCentre('telemark-kc', '2014-01-01');
          l.centre('telemark-new', 'telemark', '2014-08-01', 'Karrieresenter Notodden');
        }),
      });
      const c3 = criterion(r, '3');
      expect([c3.passed, r.centres.length]).toEqual([false, 0]);
      expect(ev(r, c3).map((e) => [e.type, e.streamId, e.dates])).toEqual([
        ['CentreRegistered', 'centre-telemark-kc', { openedOn: '2009-01-01' }],
        ['CentreClosed', 'centre-telemark-kc', { closedOn: '2014-01-01' }],
        ['CentreRegistered', 'centre-telemark-new', { openedOn: '2014-08-01' }],
      ]);
      // the summary lists the same events (criterion 3 is county-level)
      expect(summaryOf(r).events.filter((e) => e.type.startsWith('Centre')).map((e) => e.position)).toEqual(c3.evidence.map((e) => e.position));
    });

    it('a county with no centre fails 3 and is told it needs one', () => {
      const log = new TestLog();
      log.county('hordaland', 'Hordaland', '12');
      log.scheme(2014, J);
      const r = countyEligibility(log.view(), 2014, 'hordaland');
      expect(r.eligible).toBe(false);
      expect(r.criteria.map((c) => c.passed)).toEqual([false, false, false]);
      expect(r.missing.map((m) => m.criterion)).toEqual(['1', '2', '3']);
      expect(r.missing[2].en).toBe('A career centre in the county that meets 3a–3c.');
    });

    it('when no centre qualifies, every missing item of every centre is listed', () => {
      const r = judge((l) => {
        l.centre('telemark-2', 'telemark', '2012-01-01', 'Karrieresenter Notodden');
        l.declare('telemark-2', 'telemark', '2012-01-01', 19);
      }, { build: build(['nav']) });
      expect(r.eligible).toBe(false);
      expect(r.missing.map((m) => `${m.centreId}:${m.criterion}`)).toEqual(['telemark-kc:3b-nav-staff', ...['3b-primary-lower-secondary-counsellors', '3b-upper-secondary-counsellors', '3b-nav-staff', '3c-i', '3c-ii'].map((c) => `telemark-2:${c}`)]);
    });
  });

  describe('all counties, CSV and the allocation snapshot', () => {
    const log = new TestLog();
    log.eligibleCounty('telemark', 'Telemark', '08');
    log.eligibleCounty('ostfold', 'Østfold', '01');
    log.county('finnmark', 'Finnmark', '20');
    log.scheme(2014, J);
    const all = allEligibility(log.view(), 2014);

    it('lists every county in ascending county number with its verdict', () => {
      expect(all.counties.map((c) => [c.countyNumber, c.eligible])).toEqual([
        ['01', true],
        ['08', true],
        ['20', false],
      ]);
      expect([all.countyCount, all.eligibleCount]).toEqual([3, 2]);
      expect(all.asOfPosition).toBe(log.events.length);
    });

    it('renders one CSV row per county with pass/fail per criterion and what is missing', () => {
      const lines = eligibilityCsv(all).trimEnd().split('\r\n');
      expect(lines[0]).toBe('\uFEFFcounty_number,county,eligible,1_partnership_agreement,2_coordinating_function,3_career_centre,3a_centres_passing,3b_centres_passing,3c_centres_passing,qualifying_centres,missing_en,missing_nb,year,scheme_version,as_of_position');
      expect(lines[1]).toBe(`'01,Østfold,yes,pass,pass,pass,'1/1,'1/1,'1/1,Karrieresenter Østfold,,,2014,1,${log.events.length}`);
      expect(lines[3].startsWith("20,Finnmark,no,fail,fail,fail,'0/0,'0/0,'0/0,,")).toBe(true);
      expect(lines).toHaveLength(4);
    });

    it('the snapshot keeps each verdict, failed criteria and qualifying centres', () => {
      expect(verdictsOf(all)).toEqual([
        { countyId: 'ostfold', countyNumber: '01', name: 'Østfold', eligible: true, failedCriteria: [], qualifyingCentreIds: ['ostfold-kc'] },
        { countyId: 'telemark', countyNumber: '08', name: 'Telemark', eligible: true, failedCriteria: [], qualifyingCentreIds: ['telemark-kc'] },
        { countyId: 'finnmark', countyNumber: '20', name: 'Finnmark', eligible: false, failedCriteria: ['1', '2', '3'], qualifyingCentreIds: [] },
      ]);
    });

    it('the JSON text the routes send equals the answer, and carries the current position after unrelated events', () => {
      const l = new TestLog();
      l.eligibleCounty('telemark', 'Telemark', '08');
      l.scheme(2014, J);
      const view = l.view();
      expect(JSON.parse(countyEligibilityJson(view, 2014, 'telemark').toString())).toEqual(countyEligibility(view, 2014, 'telemark'));
      const all = JSON.parse(allEligibilityJson(view, 2014).toString());
      expect(all.asOfPosition).toBe(view.position);
      expect(all.counties[0]).toEqual({ ...allEligibility(view, 2014).counties[0], asOfPosition: undefined });
      grantsProjection.evolve(view, l.add('OperatingGrantRecorded', { centreId: 'telemark-kc' }, 'funding-x'));
      expect(JSON.parse(countyEligibilityJson(view, 2014, 'telemark').toString()).asOfPosition).toBe(l.events.length);
      expect(JSON.parse(allEligibilityJson(view, 2014).toString()).asOfPosition).toBe(l.events.length);
      grantsProjection.evolve(view, l.add('GrantEvidenceWithdrawn', { evidenceId: (l.events.find((e) => e.type === 'AnnualReportSubmitted')!.data as { reportId: string }).reportId, centreId: 'telemark-kc', countyId: 'telemark', evidenceType: 'AnnualReportSubmitted', reason: 'x' }, 'grant-evidence-telemark-kc'));
      expect(JSON.parse(countyEligibilityJson(view, 2014, 'telemark').toString()).eligible).toBe(false);
      expect(() => countyEligibilityJson(view, 2014, 'constructor')).toThrow(expect.objectContaining({ code: 'COUNTY.NOT_FOUND' }));
    });

    it('keeps the answers of the 3 most recently asked years per view: asking a 4th drops the least recently asked one', () => {
      const l = new TestLog();
      l.eligibleCounty('telemark', 'Telemark', '08');
      for (const year of [2014, 2015, 2016, 2017]) l.scheme(year, `${year}-03-01`);
      const view = l.view();
      const asked = (year: number) => countyEligibility(view, year, 'telemark');
      const a14 = asked(2014);
      const a15 = asked(2015);
      const a16 = asked(2016);
      expect(asked(2014)).toBe(a14); // cached (and now the most recently asked)
      const a17 = asked(2017); // a 4th year: 2015, the least recently asked, is dropped
      expect(asked(2014)).toBe(a14);
      expect(asked(2016)).toBe(a16);
      expect(asked(2017)).toBe(a17);
      const again15 = asked(2015); // evaluated anew (the same answer, a new object), which drops 2014
      expect(again15).not.toBe(a15);
      expect(again15).toEqual(a15);
      expect(asked(2014)).not.toBe(a14);
      // the JSON text is kept per year in the same bound
      const text16 = countyEligibilityJson(view, 2016, 'telemark');
      expect(countyEligibilityJson(view, 2016, 'telemark')).toBe(text16);
      expect(JSON.parse(text16.toString())).toEqual(asked(2016));
    });

    it('judges the evidence as it stands when asked again on the same view: items recorded, withdrawn or replaced after an answer count', () => {
      const l = new TestLog();
      l.eligibleCounty('telemark', 'Telemark', '08');
      l.scheme(2014, J);
      const view = l.view();
      const now = (id: string) => criterion(countyEligibility(view, 2014, 'telemark'), id);
      const withdraw = (evidenceId: string, evidenceType: string) =>
        grantsProjection.evolve(view, l.add('GrantEvidenceWithdrawn', { evidenceId, centreId: 'telemark-kc', countyId: 'telemark', evidenceType, reason: 'x' }, 'grant-evidence-telemark-kc'));
      expect(now('3b-nav-staff').reason.en).toMatch(/^1 activity for NAV staff .*, the latest on 2013-11-20\.$/);
      // an activity recorded after the first answer (the centre's list grows)
      const later = l.activity('telemark-kc', 'telemark', '2014-01-10', ['nav-staff', 'others']);
      grantsProjection.evolve(view, later);
      expect(now('3b-nav-staff').reason.en).toMatch(/^2 activities for NAV staff .*, the latest on 2014-01-10\.$/);
      expect(now('3b-nav-staff').evidence).toEqual([{ eventId: later.eventId, position: later.position }]);
      // ... and withdrawn again (the list is replaced)
      withdraw((later.data as { activityId: string }).activityId, 'CompetenceDevelopmentDelivered');
      expect(now('3b-nav-staff').reason.en).toMatch(/^1 activity for NAV staff .*, the latest on 2013-11-20\.$/);
      // the only survey withdrawn, then recorded anew
      const survey = l.events.find((e) => e.type === 'UserSurveyParticipationRecorded')!;
      withdraw((survey.data as { participationId: string }).participationId, 'UserSurveyParticipationRecorded');
      expect(now('3c-i').passed).toBe(false);
      const again = l.survey('telemark-kc', 'telemark', '2013-01-01', '2013-12-31');
      grantsProjection.evolve(view, again);
      expect(now('3c-i')).toMatchObject({ passed: true, evidence: [{ eventId: again.eventId, position: again.position }] });
      // an earlier submission of the same year's report replaces the one judged (same list, same length)
      const earlier = l.report('telemark-kc', 'telemark', 2013, '2014-01-20');
      grantsProjection.evolve(view, earlier);
      expect(now('3c-ii')).toMatchObject({ passed: true, evidence: [{ eventId: earlier.eventId, position: earlier.position }] });
      expect(now('3c-ii').reason.en).toContain('submitted on 2014-01-20');
      // a later service declaration that is not free of charge
      grantsProjection.evolve(view, l.declare('telemark-kc', 'telemark', '2014-01-01', 19, false));
      expect(now('3a').passed).toBe(false);
      // the same view, judged from scratch, gives the same answer
      expect(countyEligibility(view, 2014, 'telemark')).toEqual(countyEligibility(l.view(), 2014, 'telemark'));
    });

    it('a summary asked first (no full answer kept) is the same text as the summary of the full answer', () => {
      const l = new TestLog();
      l.eligibleCounty('telemark', 'Telemark', '08');
      l.centre('telemark-kc2', 'telemark', '2010-01-01', 'Karrieresenter Skien');
      l.declare('telemark-kc2', 'telemark', '2013-01-01', 25);
      l.scheme(2014, J);
      const first = l.view();
      const text = countyEligibilityJson(first, 2014, 'telemark', 'summary');
      const other = l.view();
      const full = countyEligibility(other, 2014, 'telemark');
      expect(countyEligibilityJson(other, 2014, 'telemark', 'summary').equals(text)).toBe(true);
      expect(JSON.parse(text.toString())).toEqual({ ...summaryOf(full), asOfPosition: first.position });
      expect(JSON.parse(text.toString()).centres).toEqual([
        { centreId: 'telemark-kc', name: 'Karrieresenter Telemark', qualifies: true, failedCriteria: [] },
        expect.objectContaining({ centreId: 'telemark-kc2', qualifies: false, failedCriteria: expect.arrayContaining(['3a', '3c-i']) }),
      ]);
      expect(countyEligibilityJson(first, 2014, 'telemark').equals(countyEligibilityJson(other, 2014, 'telemark'))).toBe(true);
    });

    it('a summary keeps every county-level criterion and what is missing, and each centre as its verdict and failed criteria', () => {
      const l = new TestLog();
      build(['nav'], (x) => {
        x.centre('telemark-2', 'telemark', '2012-01-01', 'Karrieresenter Notodden');
        x.declare('telemark-2', 'telemark', '2012-01-01', 25);
      })(l);
      l.scheme(2014, J);
      const view = l.view();
      const full = countyEligibility(view, 2014, 'telemark');
      const summary = JSON.parse(countyEligibilityJson(view, 2014, 'telemark', 'summary').toString());
      expect(summary.centres).toEqual([
        { centreId: 'telemark-kc', name: 'Karrieresenter Telemark', qualifies: false, failedCriteria: ['3b-nav-staff'] },
        { centreId: 'telemark-2', name: 'Karrieresenter Notodden', qualifies: false, failedCriteria: ['3a', '3b-primary-lower-secondary-counsellors', '3b-upper-secondary-counsellors', '3b-nav-staff', '3c-i', '3c-ii'] },
      ]);
      expect(summary.criteria).toEqual(JSON.parse(JSON.stringify(full.criteria)));
      expect(summary.missing).toEqual(full.missing);
      expect(JSON.parse(allEligibilityJson(view, 2014, 'summary').toString()).counties[0].centres).toEqual(summary.centres);
      expect([parseDetail(undefined), parseDetail('full'), parseDetail('summary')]).toEqual(['full', 'full', 'summary']);
      expect(() => parseDetail('everything')).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_DETAIL', kind: 'invalid' }));
    });

    it('is a pure function of the view: an older view answers as the ledger did then, and a growing view is never answered from a stale cache', () => {
      const l = new TestLog();
      l.scheme(2014, J);
      l.eligibleCounty('telemark', 'Telemark', '08');
      const cut = l.events[l.events.length - 1].position; // Telemark's annual report
      const view = l.view(cut - 1);
      expect(allEligibility(view, 2014).counties[0].eligible).toBe(false);
      expect(countyEligibility(l.view(), 2014, 'telemark').eligible).toBe(true);
      // the same view object, folded further in place (as the engine does), is re-evaluated
      grantsProjection.evolve(view, l.events[cut - 1]);
      expect(allEligibility(view, 2014).counties[0].eligible).toBe(true);
      expect(allEligibility(view, 2014).asOfPosition).toBe(cut);
    });
  });

  describe('criteria sets are code selected by id; windows are data stored with the scheme', () => {
    it('judges by the windows recorded in the scheme event, not by what the defaults would be today', () => {
      const log = new TestLog();
      log.eligibleCounty('telemark', 'Telemark', '08');
      const e = log.scheme(2014, J);
      // As if this scheme had been published when the default deadline was 30 June: the stored windows decide.
      (e.data as any).windows = { ...(e.data as any).windows, annualReport: { reportYear: 2013, deadline: '2014-02-01' } };
      const r = countyEligibility(log.view(), 2014, 'telemark');
      expect(r.scheme.windows.annualReport.deadline).toBe('2014-02-01');
      expect(criterion(r, '3c-ii').passed).toBe(false);
    });

    it('each year is judged by its own scheme: amending 2015 does not move 2014', () => {
      const log = new TestLog();
      log.eligibleCounty('telemark', 'Telemark', '08');
      log.scheme(2014, J);
      log.scheme(2015, '2015-03-01');
      const before = countyEligibility(log.view(), 2014, 'telemark');
      log.add('GrantSchemeAmended', { ...(log.events[log.events.length - 1].data as object), schemeVersion: 2, judgingDate: '2015-06-01', reason: 'x' }, 'grant-scheme-2015');
      const view = log.view();
      expect(countyEligibility(view, 2014, 'telemark').criteria).toEqual(before.criteria);
      expect(countyEligibility(view, 2015, 'telemark').scheme.version).toBe(2);
      expect(countyEligibility(view, 2015, 'telemark').eligible).toBe(false);
    });

    it('a scheme naming a criteria set this ledger does not know is refused with 422, not judged by another set', () => {
      const log = new TestLog();
      log.eligibleCounty('telemark', 'Telemark', '08');
      const e = log.scheme(2014, J);
      (e.data as any).criteriaSetId = 'criteria-2099';
      expect(() => countyEligibility(log.view(), 2014, 'telemark')).toThrow(expect.objectContaining({ code: 'GRANT_SCHEME.UNKNOWN_CRITERIA_SET', kind: 'rule' }));
    });
  });

  describe('events of an unexpected shape', () => {
    it('are skipped (or judged by the set defaults) instead of breaking the view', () => {
      const log = new TestLog();
      log.eligibleCounty('telemark', 'Telemark', '08');
      log.add('GrantSchemePublished', { year: 2015, criteriaSetId: 'criteria-2014', baseGrantOre: 100, judgingDate: '2015-03-01', windows: { serviceDeclaredBy: '2015-03-01' } }, 'grant-scheme-2015');
      log.add('ServiceDeclared', { centreId: 'telemark-kc', countyId: 'telemark', from: '2014-01-01', freeOfCharge: false, openToAllAdults: true, fromAge: 25 }, 'x');
      log.add('CompetenceDevelopmentDelivered', { centreId: 'telemark-kc', countyId: 'telemark', date: '2014-05-01', targetGroups: ['nav'], participants: 3 }, 'x');
      log.add('UserSurveyParticipationRecorded', { centreId: 'telemark-kc' }, 'x');
      log.add('BaseGrantAllocated', { year: 2015, allocations: [] }, 'x');
      log.add('PartnershipAgreementSigned', { countyId: 'telemark', partnershipId: 'broken' }, 'x');
      log.add('StimulusGrantApplied', { applicationId: 'a', countyId: 'telemark', amountOre: 5 }, 'x');
      const view = log.view();
      const r = countyEligibility(view, 2015, 'telemark');
      expect(r.scheme.windows.annualReport).toEqual({ reportYear: 2014, deadline: '2015-03-01' });
      expect(r.criteria[0].passed).toBe(true);
      expect(view.schemes['2015'].allocation).toBeNull();
      expect(Object.keys(view.stimulus)).toEqual([]);
    });
  });

  describe("a centre's name in a year (the name in force on 31 December of the year judged)", () => {
    const named = (renames: (log: TestLog) => void, centreId = 'telemark-kc') => {
      const log = new TestLog();
      log.eligibleCounty('telemark', 'Telemark', '08', centreId);
      renames(log);
      log.scheme(2014, J);
      log.scheme(2016, '2016-03-01');
      return log;
    };
    const namesIn = (r: CountyEligibility) => [...r.centres.map((c) => c.name), ...r.qualifyingCentres.map((c) => c.name), ...r.centresNotConsidered.map((c) => c.name)];

    it('a rename from 2016 (recorded before one from 2099 and after it) changes nothing in 2014; the 2016 scheme names the centre by its new name', () => {
      const log = named((l) => {
        l.renameCentre('telemark-kc', 'Fremtid', '2099-01-01');
        l.renameCentre('telemark-kc', 'Karriere Telemark', '2016-01-01');
      });
      const view = log.view();
      const y2014 = countyEligibility(view, 2014, 'telemark');
      expect(namesIn(y2014)).toEqual(['Karrieresenter Telemark', 'Karrieresenter Telemark']);
      const text = JSON.stringify(y2014);
      expect(text).not.toMatch(/Karriere Telemark|Fremtid/);
      expect(criterion(y2014, '3').reason.en).toBe('1 of 1 centres meet 3a–3c: Karrieresenter Telemark.');
      expect(eligibilityCsv(allEligibility(view, 2014))).toContain('Karrieresenter Telemark');
      const y2016 = countyEligibility(view, 2016, 'telemark');
      expect(y2016.centres.map((c) => c.name)).toEqual(['Karriere Telemark']);
      expect(JSON.stringify(y2016)).not.toMatch(/Karrieresenter Telemark|Fremtid/);
      // the same after a snapshot round trip (the view is plain JSON)
      const back = JSON.parse(JSON.stringify(view));
      expect(countyEligibility(back, 2014, 'telemark')).toEqual(y2014);
      expect(countyEligibility(back, 2016, 'telemark')).toEqual(y2016);
    });

    it('a rename dated during the year judged names the whole year (31 December decides); two from one day: the one recorded last', () => {
      const view = named((l) => {
        l.renameCentre('telemark-kc', 'Først', '2014-12-31');
        l.renameCentre('telemark-kc', 'Sist', '2014-12-31');
        l.renameCentre('telemark-kc', 'Januar', '2015-01-01');
      }).view();
      expect(countyEligibility(view, 2014, 'telemark').centres.map((c) => c.name)).toEqual(['Sist']);
      expect(countyEligibility(view, 2016, 'telemark').centres.map((c) => c.name)).toEqual(['Januar']);
    });

    it('a centre not considered is named by the year too; a rename without a date is skipped; ids such as "constructor" work', () => {
      const log = named((l) => {
        l.centre('constructor', 'telemark', '2015-06-01', 'Nytt senter');
        l.renameCentre('constructor', 'Nyere senter', '2016-01-01');
        l.add('CentreRenamed', { centreId: 'constructor', name: 'Udatert' }, 'centre-constructor');
        l.renameCentre('toString', 'Ingen', '2016-01-01');
      });
      const view = log.view();
      const r = countyEligibility(view, 2014, 'telemark');
      expect(r.centresNotConsidered.map((c) => [c.centreId, c.name, c.reason.en])).toEqual([['constructor', 'Nytt senter', 'Nytt senter only opened on 2015-06-01, so it was not open on 2014-03-01.']]);
      expect(own(view.centres, 'constructor')!.names.map((n) => n.name)).toEqual(['Nytt senter', 'Nyere senter']);
      expect(Object.prototype.hasOwnProperty.call(view.centres, 'toString')).toBe(false);
      expect(countyEligibility(view, 2016, 'telemark').centres.map((c) => c.name)).toEqual(['Karrieresenter Telemark', 'Nyere senter']);
    });
  });
});
