import { assessAdequacy } from './adequacy.rules';

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
});
