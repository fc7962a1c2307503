import type { CountyRecommendation } from '../consultations/consultation.entity';
import type { Episode } from '../rulesets/episode.rules';
import { draftCoverage, draftOptions, draftPrefill, episodeStartInput } from './draft-options.rules';

const NAMES = {
  '141102': '离石区',
  '141126': '石楼县',
  '141181': '孝义市',
  '141125': '柳林县',
  '141182': '汾阳市',
  '141123': '兴县',
  '141124': '临县',
};

// The consultation: three RED counties, one ORANGE, two YELLOW, one with no level.
const RECS: CountyRecommendation[] = [
  { countyCode: '141102', level: 'RED', reason: '' },
  { countyCode: '141125', level: 'ORANGE', reason: '' },
  { countyCode: '141126', level: 'RED', reason: '' },
  { countyCode: '141182', level: 'YELLOW', reason: '' },
  { countyCode: '141123', level: null, reason: '' },
  { countyCode: '141181', level: 'RED', reason: '' },
  { countyCode: '141124', level: 'YELLOW', reason: '' },
];

describe('draftOptions', () => {
  it('offers one draft per recommended level, highest first, with its counties', () => {
    expect(draftOptions(RECS, NAMES)).toEqual([
      {
        level: 'RED',
        countyCodes: ['141102', '141126', '141181'],
        countyNames: ['离石区', '石楼县', '孝义市'],
        label: '起草红色预警(3个区县)',
      },
      {
        level: 'ORANGE',
        countyCodes: ['141125'],
        countyNames: ['柳林县'],
        label: '起草橙色预警(1个区县)',
      },
      {
        level: 'YELLOW',
        countyCodes: ['141182', '141124'],
        countyNames: ['汾阳市', '临县'],
        label: '起草黄色预警(2个区县)',
      },
    ]);
  });

  it('offers nothing when no county has a level', () => {
    expect(draftOptions([{ countyCode: '141102', level: null, reason: '' }], NAMES)).toEqual([]);
  });

  it('names a county it does not know by its code', () => {
    const [option] = draftOptions([{ countyCode: '149999', level: 'BLUE', reason: '' }], NAMES);
    expect(option.countyNames).toEqual(['149999']);
  });
});

describe('draftPrefill', () => {
  it("prefills the asked level's counties", () => {
    expect(draftPrefill(RECS, 'ORANGE')).toEqual({
      level: 'ORANGE',
      countyCodes: ['141125'],
      episodeStart: null,
    });
    expect(draftPrefill(RECS, 'YELLOW')).toEqual({
      level: 'YELLOW',
      countyCodes: ['141182', '141124'],
      episodeStart: null,
    });
  });

  it('falls back to the highest recommended level without a level, or with one not recommended', () => {
    const red = { level: 'RED', countyCodes: ['141102', '141126', '141181'], episodeStart: null };
    expect(draftPrefill(RECS, undefined)).toEqual(red);
    expect(draftPrefill(RECS, 'BLUE')).toEqual(red);
    expect(draftPrefill(RECS, ['ORANGE'])).toEqual(red);
  });

  it('starts the draft with the first day of the episode that gives the asked level', () => {
    const episode = (from: string, level: 'YELLOW' | 'ORANGE'): Episode => ({
      response: 'WARNING',
      from,
      to: from,
      days: 1,
      peakAqi: 250,
      level,
      responds: true,
      reason: '',
    });
    const recs = [
      {
        countyCode: '141102',
        level: 'ORANGE' as const,
        reason: '',
        episodes: [episode('2026-12-01', 'YELLOW'), episode('2026-12-05', 'ORANGE')],
      },
      {
        countyCode: '141181',
        level: 'ORANGE' as const,
        reason: '',
        episodes: [episode('2026-12-04', 'ORANGE')],
      },
      {
        countyCode: '141126',
        level: 'YELLOW' as const,
        reason: '',
        episodes: [episode('2026-12-02', 'YELLOW')],
      },
    ];
    expect(draftPrefill(recs, 'ORANGE')).toEqual({
      level: 'ORANGE',
      countyCodes: ['141102', '141181'],
      episodeStart: '2026-12-04',
    });
    expect(draftPrefill(recs, 'YELLOW')?.episodeStart).toBe('2026-12-02');
  });

  it('an episode ahead starts at its midnight; one already begun at the next full hour (Beijing)', () => {
    const now = new Date('2026-12-01T10:20:00+08:00');
    expect(episodeStartInput('2026-12-04', now)).toBe('2026-12-04T00:00');
    expect(episodeStartInput('2026-12-01', now)).toBe('2026-12-01T11:00');
    // 23:30 Beijing is 15:30 UTC: the next hour is midnight of the next Beijing day.
    expect(episodeStartInput('2026-12-01', new Date('2026-12-01T23:30:00+08:00'))).toBe('2026-12-02T00:00');
  });

  it('prefills nothing when no level is recommended', () => {
    expect(draftPrefill([{ countyCode: '141102', level: null, reason: '' }], 'RED')).toBeNull();
  });
});

describe('draftCoverage', () => {
  it('names every recommended county the RED draft leaves out, with its level, and the drafts that cover them', () => {
    const c = draftCoverage(
      RECS,
      { level: 'RED', countyCodes: ['141102', '141126', '141181'], wholeCity: false },
      NAMES,
    );
    expect(c.uncovered).toEqual([
      { countyCode: '141125', countyName: '柳林县', level: 'ORANGE' },
      { countyCode: '141182', countyName: '汾阳市', level: 'YELLOW' },
      { countyCode: '141124', countyName: '临县', level: 'YELLOW' },
    ]);
    expect(c.notice).toBe('以下建议区县未包含在本草稿中：柳林县(橙色)、汾阳市(黄色)、临县(黄色)');
    expect(c.otherDrafts.map((o) => o.label)).toEqual(['起草橙色预警(1个区县)', '起草黄色预警(2个区县)']);
  });

  it("lists a county of the draft's own level that was unchecked, without offering that level again", () => {
    const c = draftCoverage(
      RECS,
      { level: 'RED', countyCodes: ['141102', '141181', '141125', '141182', '141124'], wholeCity: false },
      NAMES,
    );
    expect(c.notice).toBe('以下建议区县未包含在本草稿中：石楼县(红色)');
    expect(c.otherDrafts).toEqual([]);
  });

  it('says nothing when the draft covers every recommended county, or the whole city', () => {
    const all = RECS.filter((r) => r.level).map((r) => r.countyCode);
    for (const draft of [
      { level: 'RED', countyCodes: all, wholeCity: false },
      { level: 'RED', countyCodes: [], wholeCity: true },
    ]) {
      expect(draftCoverage(RECS, draft, NAMES)).toEqual({
        uncovered: [],
        notice: null,
        otherDrafts: [],
      });
    }
  });

  it('does not count a county recommended no level as left out', () => {
    const c = draftCoverage(RECS, { level: 'RED', countyCodes: [], wholeCity: false }, NAMES);
    expect(c.uncovered.map((u) => u.countyCode)).not.toContain('141123');
    expect(c.uncovered).toHaveLength(6);
  });
});
