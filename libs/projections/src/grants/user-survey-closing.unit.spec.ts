import { countyEligibility, CountyEligibility, CriterionVerdict, evidenceOf as ev } from '.';
import { TestLog } from './test-log';

/**
 * The user-survey criterion (3c-i) judges a centre only on the days it was open in the window: from its
 * opening day when it opened during the window (session fifteen), and up to the day before its
 * `closedOn` when it closed during it. With the default windows a centre closed by the judging date is
 * not considered at all (criterion 3 lists it as not open on J), so these schemes set a free-guidance
 * window that ends before the closing, as Vox may.
 */
const J = '2014-03-01';
const FREE_GUIDANCE_FIRST_HALF = { freeGuidance: { from: '2013-01-01', to: '2013-06-30' } };

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

/** Telemark with one centre, every criterion met on the days it was open, closed from `closedOn` (if any); the survey periods given. */
const judge = (opts: { openedOn?: string; closedOn?: string | null; surveys: [string, string][]; overrides?: Parameters<TestLog['scheme']>[3] }) => {
  const log = new TestLog();
  const openedOn = opts.openedOn ?? '2009-01-01';
  log.county('telemark', 'Telemark', '08');
  log.party('telemark-county', 'county-authority', 'telemark', 'Telemark fylkeskommune');
  log.party('nav-telemark', 'nav-county-office', 'telemark', 'NAV Telemark');
  log.centre('kc', 'telemark', openedOn, 'Karrieresenter Skien');
  log.partnership('telemark', 'p1', ['telemark-county', 'nav-telemark'], '2013-06-01', '2013-06-01', null);
  log.coordinating('telemark', 'telemark-county', '2013-01-01', null);
  log.declare('kc', 'telemark', openedOn > '2013-01-01' ? openedOn : '2013-01-01', 19);
  log.activity('kc', 'telemark', '2013-03-10', ['primary-lower-secondary-counsellors']);
  log.activity('kc', 'telemark', '2013-04-05', ['upper-secondary-counsellors']);
  log.activity('kc', 'telemark', '2013-05-20', ['nav-staff']);
  const surveys = opts.surveys.map(([from, to]) => log.survey('kc', 'telemark', from, to));
  log.report('kc', 'telemark', 2013, '2014-02-15');
  const closure = opts.closedOn ? log.closeCentre('kc', opts.closedOn) : null;
  log.scheme(2014, J, 26_600_000_00, opts.overrides ?? FREE_GUIDANCE_FIRST_HALF);
  const r = countyEligibility(log.view(), 2014, 'telemark');
  return { r, survey: criterion(r, '3c-i'), surveys, closure };
};

describe('user survey (3c-i): a centre closed during the window is judged on the days it was open', () => {
  it('covered until the day before closedOn: passes (it failed for the days after the closing), citing the participation and the closure; the county becomes eligible', () => {
    const { r, survey, surveys, closure } = judge({ closedOn: '2013-07-01', surveys: [['2013-01-01', '2013-06-30']] });
    expect(survey.passed).toBe(true);
    expect(survey.reason).toEqual({
      nb: 'Karrieresenter Skien deltok i brukerundersøkelsen i hele perioden 2013-01-01–2013-06-30 (stengt fra 2013-07-01).',
      en: 'Karrieresenter Skien took part in the user survey throughout 2013-01-01 – 2013-06-30 (closed from 2013-07-01).',
    });
    expect(survey.missing).toEqual([]);
    expect(ev(r, survey).map((e) => [e.eventId, e.type, e.dates])).toEqual([
      [surveys[0].eventId, 'UserSurveyParticipationRecorded', { from: '2013-01-01', to: '2013-06-30' }],
      [closure!.eventId, 'CentreClosed', { closedOn: '2013-07-01' }],
    ]);
    expect(r.centres.map((c) => [c.centreId, c.qualifies])).toEqual([['kc', true]]);
    expect(r.eligible).toBe(true);
  });

  it('a gap before the closing fails naming only the days it was open, and what is missing stops at the day before closedOn', () => {
    const { survey, closure } = judge({ closedOn: '2013-07-01', surveys: [['2013-01-01', '2013-05-31']] });
    expect(survey.passed).toBe(false);
    expect(survey.reason).toEqual({ nb: 'Karrieresenter Skien deltok ikke i brukerundersøkelsen 2013-06-01–2013-06-30.', en: 'Karrieresenter Skien did not take part in the user survey from 2013-06-01 to 2013-06-30.' });
    expect(survey.missing).toEqual([{ nb: 'Karrieresenter Skien: deltakelse i brukerundersøkelsen 2013-06-01–2013-06-30.', en: 'Karrieresenter Skien: user-survey participation from 2013-06-01 to 2013-06-30.' }]);
    expect(survey.evidence.map((e) => e.position)).toContain(closure!.position);
  });

  it('none at all: the reason names the days open, in both languages', () => {
    const { survey } = judge({ closedOn: '2013-07-01', surveys: [] });
    expect(survey.reason).toEqual({
      nb: 'Karrieresenter Skien har ingen registrert deltakelse i brukerundersøkelsen i perioden 2013-01-01–2013-06-30 (stengt fra 2013-07-01).',
      en: 'Karrieresenter Skien has no recorded user-survey participation in 2013-01-01 – 2013-06-30 (closed from 2013-07-01).',
    });
  });

  it('opened and closed during the window: judged from the opening day to the day before the closing', () => {
    const { survey } = judge({ openedOn: '2013-03-01', closedOn: '2013-07-01', surveys: [['2013-03-01', '2013-06-30']], overrides: { freeGuidance: { from: '2013-03-01', to: '2013-06-30' } } });
    expect(survey.passed).toBe(true);
    expect(survey.reason.en).toBe('Karrieresenter Skien took part in the user survey throughout 2013-03-01 – 2013-06-30 (from its opening on 2013-03-01; closed from 2013-07-01).');
    expect(survey.reason.nb).toBe('Karrieresenter Skien deltok i brukerundersøkelsen i hele perioden 2013-03-01–2013-06-30 (fra åpningsdagen 2013-03-01; stengt fra 2013-07-01).');
  });

  it('the edges: closed from the window\'s second day is judged on its first day alone; closed from the day after the window (or later) is judged on the whole window, with no note and no closure cited', () => {
    const second = judge({ closedOn: '2013-01-02', surveys: [['2013-01-01', '2013-01-01']], overrides: { freeGuidance: { from: '2013-01-01', to: '2013-01-01' } } });
    expect(second.survey.passed).toBe(true);
    expect(second.survey.reason.en).toBe('Karrieresenter Skien took part in the user survey throughout 2013-01-01 – 2013-01-01 (closed from 2013-01-02).');
    const after = judge({ closedOn: '2014-01-01', surveys: [['2013-01-01', '2013-12-31']] });
    expect(after.survey.passed).toBe(true);
    expect(after.survey.reason.en).toBe('Karrieresenter Skien took part in the user survey throughout 2013-01-01 – 2013-12-31.');
    expect(after.survey.evidence.map((e) => e.position)).toEqual([after.surveys[0].position]);
  });

  it('a period running past the closing is read only up to the day before it', () => {
    const { survey, surveys } = judge({ closedOn: '2013-07-01', surveys: [['2013-01-01', '2013-12-31']] });
    expect(survey.passed).toBe(true);
    expect(survey.reason.en).toBe('Karrieresenter Skien took part in the user survey throughout 2013-01-01 – 2013-06-30 (closed from 2013-07-01).');
    expect(survey.evidence.map((e) => e.position)).toContain(surveys[0].position);
  });
});
