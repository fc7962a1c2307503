import type { Episode } from '../rulesets/episode.rules';
import { headsUpEpisodes } from './heads-up.rules';

const episode = (over: Partial<Episode>): Episode => ({
  response: 'WARNING',
  from: '2026-12-08',
  to: '2026-12-08',
  days: 1,
  peakAqi: 210,
  level: 'YELLOW',
  responds: true,
  reason: '依据',
  ...over,
});

describe('headsUpEpisodes', () => {
  it('says each outlook episode with its period and what it may call for', () => {
    expect(
      headsUpEpisodes([
        episode({}),
        episode({ from: '2026-12-08', to: '2026-12-10', level: 'ORANGE' }),
        episode({ response: 'OZONE' }),
        episode({ response: 'ADVICE', level: null }),
      ]),
    ).toEqual([
      { period: '12月08日', outcome: '可能达到黄色预警启动条件', reason: '依据' },
      { period: '12月08日至12月10日', outcome: '可能达到橙色预警启动条件', reason: '依据' },
      { period: '12月08日', outcome: '可能启动臭氧污染应对(涉VOCs工序错时生产)', reason: '依据' },
      { period: '12月08日', outcome: '可能出现沙尘等污染,注意健康防护', reason: '依据' },
    ]);
  });
});
