import { readSeedJson } from '../common/paths';
import { projectCounties } from './county-map.rules';

describe('projectCounties', () => {
  const square = (code: string, lon: number, lat: number) => ({
    properties: { code, name: code },
    geometry: {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [lon, lat],
            [lon + 1, lat],
            [lon + 1, lat + 1],
            [lon, lat + 1],
            [lon, lat],
          ],
        ],
      ],
    },
  });

  it('puts north up, west left, inside the margin, keeping proportions at the latitude', () => {
    // Two one-degree squares side by side at the equator: 2 degrees wide, 1 high.
    const map = projectCounties([square('A', 0, -0.5), square('B', 1, -0.5)], 216, 8);
    expect(map.height).toBe(116); // 200 px for 2°, so 100 px for 1°, plus 8 px above and below
    expect(map.shapes[0].path).toBe('M8,108L108,108L108,8L8,8L8,108Z');
    expect(map.shapes[1].path.startsWith('M108,108')).toBe(true);
    expect(map.shapes[0]).toMatchObject({ code: 'A', labelX: 48, labelY: 68 });
  });

  it("shrinks longitudes by cos(latitude): Lüliang's 13 counties fit a 600 px map about 1.5 times as tall as wide", () => {
    const geo = readSeedJson<{ features: Parameters<typeof projectCounties>[0] }>(
      'lvliang-counties.geo.json',
    );
    const map = projectCounties(geo.features, 600);
    expect(map.shapes.map((s) => s.name)).toEqual([
      '离石区',
      '文水县',
      '交城县',
      '兴县',
      '临县',
      '柳林县',
      '岚县',
      '石楼县',
      '方山县',
      '中阳县',
      '交口县',
      '孝义市',
      '汾阳市',
    ]);
    // About 1.55° of latitude (36.7-38.7 N) over 1.7° of longitude × cos 37.7° ≈ 1.35: taller than wide.
    expect(map.height / map.width).toBeGreaterThan(1.2);
    expect(map.height / map.width).toBeLessThan(1.9);
    for (const s of map.shapes) {
      expect(s.labelX).toBeGreaterThan(0);
      expect(s.labelX).toBeLessThan(600);
      expect(s.labelY).toBeGreaterThan(0);
      expect(s.labelY).toBeLessThan(map.height);
    }
    // 兴县 is the northernmost county, 石楼县 lies in the south-west.
    const at = (name: string) => map.shapes.find((s) => s.name === name)!;
    expect(at('兴县').labelY).toBeLessThan(at('离石区').labelY);
    expect(at('石楼县').labelX).toBeLessThan(at('孝义市').labelX);
  });
});
