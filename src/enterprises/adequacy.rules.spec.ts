import { assessAdequacy, assessScope } from './adequacy.rules';

describe('assessAdequacy', () => {
  const base = {
    levels: ['YELLOW', 'ORANGE', 'RED'] as const,
    ratios: { YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 },
    inventory: { so2: 1000, nox: 2000, pm: 500, vocs: 100 },
  };

  it('computes ratio and ok per level and pollutant', () => {
    const [yellow, orange, red] = assessAdequacy({
      ...base,
      reductions: {
        YELLOW: { so2: 100, nox: 200, pm: 50, vocs: 10 },
        ORANGE: { so2: 250, nox: 399, pm: 100, vocs: 20 },
        RED: { so2: 300, nox: 600, pm: 150, vocs: 30 },
      },
    });
    expect(yellow).toMatchObject({ level: 'YELLOW', required: 0.1, ok: true });
    expect(yellow.pollutants.so2).toEqual({
      baseline: 1000,
      reduction: 100,
      ratio: 0.1,
      required: 0.1,
      ok: true,
    });
    expect(orange.ok).toBe(false);
    expect(orange.pollutants.nox).toEqual({
      baseline: 2000,
      reduction: 399,
      ratio: 0.1995,
      required: 0.2,
      ok: false,
    });
    expect(orange.pollutants.so2.ok).toBe(true);
    expect(red.ok).toBe(true);
  });

  it('treats a level without measures as zero reduction, not as met', () => {
    const [yellow] = assessAdequacy({ ...base, reductions: {} });
    expect(yellow.pollutants.pm).toEqual({ baseline: 500, reduction: 0, ratio: 0, required: 0.1, ok: false });
    expect(yellow.ok).toBe(false);
  });

  it('reports unknown (null) when there is no inventory or no requirement', () => {
    const [blue] = assessAdequacy({
      ...base,
      levels: ['BLUE'],
      reductions: { BLUE: { so2: 1, nox: 1, pm: 1, vocs: 1 } },
    });
    expect(blue).toMatchObject({ required: null, ok: null });
    const [yellow] = assessAdequacy({ ...base, inventory: null, reductions: {} });
    expect(yellow.pollutants.so2).toMatchObject({ ratio: null, ok: null });
    expect(yellow.ok).toBeNull();
  });

  it('judges each pollutant against its own share when the ruleset sets one per pollutant', () => {
    const ratios = { YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 } };
    const reductions = { YELLOW: { so2: 100, nox: 200, pm: 100, vocs: 10 } }; // 10% of each baseline, pm 20%
    const [yellow] = assessAdequacy({ ...base, levels: ['YELLOW'], ratios, reductions });
    expect(yellow.required).toEqual({ so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 });
    expect(yellow.required).not.toBe(ratios.YELLOW); // a copy: the ruleset's definition cannot be edited through it
    expect(yellow.pollutants.so2).toMatchObject({ ratio: 0.1, required: 0.1, ok: true });
    expect(yellow.pollutants.pm).toMatchObject({ ratio: 0.2, required: 0.25, ok: false });
    expect(yellow.ok).toBe(false);
    const [met] = assessAdequacy({
      ...base,
      levels: ['YELLOW'],
      ratios,
      reductions: { YELLOW: { ...reductions.YELLOW, pm: 125 } },
    });
    expect(met.ok).toBe(true);
  });

  it('does not judge a pollutant a per-pollutant ratio leaves out', () => {
    const [yellow] = assessAdequacy({
      ...base,
      levels: ['YELLOW'],
      ratios: { YELLOW: { pm: 0.25 } },
      reductions: { YELLOW: { so2: 0, nox: 0, pm: 125, vocs: 0 } },
    });
    expect(yellow.pollutants.so2).toMatchObject({ required: null, ok: null });
    expect(yellow.pollutants.pm).toMatchObject({ required: 0.25, ok: true });
    expect(yellow.ok).toBe(true);
  });
});

describe('assessScope', () => {
  // The case: three RED counties that pass together while 石楼县 alone is at 27%.
  const e = (v: number) => ({ so2: v, nox: v, pm: v, vocs: v });
  const input = {
    level: 'RED' as const,
    ratios: { YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 },
    countyCodes: ['141102', '141126', '141181'],
    inventory: new Map([
      ['141102', e(1000)],
      ['141126', e(1000)],
      ['141181', e(2000)],
    ]),
    reductions: new Map([
      ['141102', e(350)],
      ['141126', e(270)],
      ['141181', e(640)],
    ]),
  };

  it('assesses the scope as one area and each county on its own', () => {
    const { adequacy, byCounty, inventoryMissing } = assessScope(input);
    // (350 + 270 + 640) / 4000 = 31.5%: the sum passes.
    expect(adequacy.pollutants.so2).toEqual({
      baseline: 4000,
      reduction: 1260,
      ratio: 0.315,
      required: 0.3,
      ok: true,
    });
    expect(adequacy.ok).toBe(true);
    expect(byCounty.map((c) => [c.countyCode, c.adequacy.ok])).toEqual([
      ['141102', true],
      ['141126', false],
      ['141181', true],
    ]);
    expect(byCounty[1].adequacy.pollutants.nox).toEqual({
      baseline: 1000,
      reduction: 270,
      ratio: 0.27,
      required: 0.3,
      ok: false,
    });
    expect(byCounty[2].adequacy.pollutants.pm).toMatchObject({ baseline: 2000, reduction: 640, ratio: 0.32 });
    expect(inventoryMissing).toEqual([]);
  });

  it('counts a county without measures as zero reduction, and one without inventory as unknown', () => {
    const { adequacy, byCounty, inventoryMissing } = assessScope({
      ...input,
      countyCodes: ['141102', '141126', '141181', '141130'],
      reductions: new Map([['141102', e(350)]]),
      inventory: new Map([
        ['141102', e(1000)],
        ['141126', e(1000)],
        ['141181', e(2000)],
      ]),
    });
    expect(byCounty.map((c) => c.adequacy.pollutants.vocs.reduction)).toEqual([350, 0, 0, 0]);
    expect(byCounty.map((c) => c.adequacy.ok)).toEqual([true, false, false, null]);
    expect(byCounty[3].adequacy.pollutants.so2).toMatchObject({ baseline: 0, ratio: null, ok: null });
    // The scope's baseline would be understated without 141130's inventory: unknown, not 350/4000.
    expect(adequacy.pollutants.so2).toMatchObject({ ratio: null, ok: null, reduction: 350 });
    expect(adequacy.ok).toBeNull();
    expect(inventoryMissing).toEqual(['141130']);
  });

  it('counts a county named twice once', () => {
    const { adequacy, byCounty } = assessScope({ ...input, countyCodes: ['141126', '141126'] });
    expect(byCounty).toHaveLength(1);
    expect(adequacy.pollutants.so2).toMatchObject({ baseline: 1000, reduction: 270 });
  });
});
