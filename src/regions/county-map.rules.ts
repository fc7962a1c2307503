/** A county's outline on the console's map, projected to SVG coordinates. Pure; unit-tested. */
export interface CountyShape {
  code: string;
  name: string;
  /** SVG path data (`M…L…Z`), one subpath per ring. */
  path: string;
  /** Where its name is written: the mean of its outer ring's points. */
  labelX: number;
  labelY: number;
}

export interface CountyMap {
  width: number;
  height: number;
  shapes: CountyShape[];
}

interface Feature {
  properties: { code: string; name: string };
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

const one = (v: number) => Math.round(v * 10) / 10;

/**
 * Projects the counties (GeoJSON MultiPolygons in longitude/latitude) onto a `width`-wide SVG: equirectangular,
 * with longitudes shrunk by cos(latitude) at the map's middle so shapes keep their proportions (at 37.5° N a
 * degree of longitude is 0.79 of a degree of latitude), north up, a margin around.
 */
export function projectCounties(features: readonly Feature[], width: number, margin = 8): CountyMap {
  const points = features.flatMap((f) => f.geometry.coordinates.flat(2));
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [minLon, maxLon, minLat, maxLat] = [
    Math.min(...lons),
    Math.max(...lons),
    Math.min(...lats),
    Math.max(...lats),
  ];
  const shrink = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = (width - 2 * margin) / ((maxLon - minLon) * shrink);
  const height = Math.ceil((maxLat - minLat) * scale + 2 * margin);
  const x = (lon: number) => one(margin + (lon - minLon) * shrink * scale);
  const y = (lat: number) => one(margin + (maxLat - lat) * scale);
  const shapes = features.map((f) => {
    const rings = f.geometry.coordinates.flat(1);
    const path = rings
      .map((ring) => `M${ring.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join('L')}Z`)
      .join('');
    const outer = f.geometry.coordinates[0][0];
    return {
      code: f.properties.code,
      name: f.properties.name,
      path,
      labelX: one(outer.reduce((s, [lon]) => s + x(lon), 0) / outer.length),
      labelY: one(outer.reduce((s, [, lat]) => s + y(lat), 0) / outer.length),
    };
  });
  return { width, height, shapes };
}
