// Small geometry helpers of the front end (WGS 84 degrees): circles as polygons, point in polygon, bounds.

const EARTH_RADIUS_M = 6371008.8;

/** A GeoJSON Polygon approximating a circle of radius_m around [lon, lat] (spherical, 64 steps). */
export function circlePolygon(center, radiusM, steps = 64) {
  const [lon, lat] = center.map((d) => (d * Math.PI) / 180);
  const angular = radiusM / EARTH_RADIUS_M;
  const ring = [];
  for (let i = 0; i <= steps; i++) {
    const bearing = (2 * Math.PI * (i % steps)) / steps;
    const lat2 = Math.asin(Math.sin(lat) * Math.cos(angular) + Math.cos(lat) * Math.sin(angular) * Math.cos(bearing));
    const lon2 = lon + Math.atan2(Math.sin(bearing) * Math.sin(angular) * Math.cos(lat), Math.cos(angular) - Math.sin(lat) * Math.sin(lat2));
    ring.push([+((lon2 * 180) / Math.PI).toFixed(7), +((lat2 * 180) / Math.PI).toFixed(7)]);
  }
  return { type: "Polygon", coordinates: [ring] };
}

/** Great-circle distance in metres. */
export function distanceM(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

function inRing(point, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > point[1]) !== (yj > point[1]) && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) { inside = !inside; }
  }
  return inside;
}

/** Whether [lon, lat] is inside a GeoJSON Polygon or MultiPolygon (holes respected). */
export function contains(geometry, point) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  return polygons.some((rings) => inRing(point, rings[0]) && !rings.slice(1).some((hole) => inRing(point, hole)));
}

/** [[west, south], [east, north]] of any GeoJSON geometry. */
export function bounds(geometry) {
  let minX = 180, minY = 90, maxX = -180, maxY = -90;
  const walk = (c) => {
    if (typeof c[0] === "number") {
      minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]); minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]);
    } else { c.forEach(walk); }
  };
  walk(geometry.coordinates);
  return [[minX, minY], [maxX, maxY]];
}

/** A representative [lon, lat] of a geometry: a point itself, else the middle of its bounds. */
export function anchor(geometry) {
  if (geometry.type === "Point") { return geometry.coordinates; }
  const [[w, s], [e, n]] = bounds(geometry);
  return [(w + e) / 2, (s + n) / 2];
}
