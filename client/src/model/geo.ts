/**
 * Which of a scenario's places lie in the map's region and which are far away (drawn as insets on
 * the edge of the map, in the direction they lie, with a labelled distance). Pure maths, no d3.
 */
import type { Place, Scenario } from '#shared/scenario/schema.ts';

const R = 6371;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

export function distanceKm(a: [number, number], b: [number, number]): number {
  const [lon1, lat1] = a.map(rad) as [number, number];
  const [lon2, lat2] = b.map(rad) as [number, number];
  const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b in degrees, 0 = north, clockwise. */
export function bearing(a: [number, number], b: [number, number]): number {
  const [lon1, lat1] = a.map(rad) as [number, number];
  const [lon2, lat2] = b.map(rad) as [number, number];
  const y = Math.sin(lon2 - lon1) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(lon2 - lon1);
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

export function compass(b: number): string {
  const names = ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'];
  return names[Math.round(b / 45) % 8]!;
}

export interface Region {
  centre: [number, number];
  /** Places drawn on the map. */
  local: Place[];
  /** Places drawn as insets: far from the region. */
  distant: { place: Place; bearing: number; km: number; direction: string }[];
  /** [[west, south], [east, north]] of the local places, padded. */
  bounds: [[number, number], [number, number]];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Split places into local and distant. The centre is the scenario's `map.center`, or the median of
 * the places. A place is distant when it lies more than `maxKm` from the centre (default: 2.5 times
 * the median distance, at least 2,500 km).
 */
export function splitRegion(scenario: Scenario, opts: { maxKm?: number } = {}): Region {
  const places = scenario.map.places;
  const centre: [number, number] = scenario.map.center
    ? [scenario.map.center[0], scenario.map.center[1]]
    : [median(places.map((p) => p.lon)), median(places.map((p) => p.lat))];
  const dists = places.map((p) => distanceKm(centre, [p.lon, p.lat]));
  // With a zoom, the region is what that zoom shows (zoom 1 ≈ 60 degrees across); otherwise it is
  // derived from how spread out the places are.
  const zoom = scenario.map.zoom;
  const limit = opts.maxKm ?? (zoom && zoom > 0 ? Math.max(1500, (111 * 60 * 0.9) / zoom) : Math.max(2500, median(dists) * 2.5));
  const local: Place[] = [];
  const distant: Region['distant'] = [];
  const capitals = new Set(scenario.powers.map((p) => p.capital));
  places.forEach((p, i) => {
    const d = dists[i]!;
    if (d > limit) {
      // Far-away places are drawn only when they are a power's capital (as an inset).
      if (!capitals.has(p.id)) return;
      const b = bearing(centre, [p.lon, p.lat]);
      distant.push({ place: p, bearing: b, km: d, direction: compass(b) });
    } else local.push(p);
  });
  if (local.length === 0) local.push(...places);
  const lons = local.map((p) => p.lon);
  const lats = local.map((p) => p.lat);
  let west = Math.min(...lons);
  let east = Math.max(...lons);
  let south = Math.min(...lats);
  let north = Math.max(...lats);
  // Pad so that labels fit, and never zoom in closer than ~6 degrees.
  const padLon = Math.max(2, (east - west) * 0.18, (6 - (east - west)) / 2);
  const padLat = Math.max(2, (north - south) * 0.18, (6 - (north - south)) / 2);
  west = Math.max(-180, west - padLon);
  east = Math.min(180, east + padLon);
  south = Math.max(-85, south - padLat);
  north = Math.min(85, north + padLat);
  if (scenario.map.zoom && scenario.map.zoom > 0) {
    // zoom 1 shows ~ 60 degrees across; larger zoom shows less. Only widens, never crops places.
    const span = 60 / scenario.map.zoom;
    const cx = centre[0];
    const cy = centre[1];
    west = Math.min(west, cx - span / 2);
    east = Math.max(east, cx + span / 2);
    south = Math.min(south, cy - span / 3);
    north = Math.max(north, cy + span / 3);
  }
  return { centre, local, distant, bounds: [[west, south], [east, north]] };
}

/**
 * Where an inset sits on a w×h map: on the edge, in the direction of its bearing, kept apart from
 * the other insets. Returns centre points in pixels.
 */
export function insetPositions(
  bearings: number[],
  w: number,
  h: number,
  size: { w: number; h: number; margin: number },
): { x: number; y: number }[] {
  const cx = w / 2;
  const cy = h / 2;
  const hw = w / 2 - size.w / 2 - size.margin;
  const hh = h / 2 - size.h / 2 - size.margin;
  const pts = bearings.map((b) => {
    const a = rad(b);
    const dx = Math.sin(a);
    const dy = -Math.cos(a);
    const t = Math.min(Math.abs(dx) > 1e-6 ? hw / Math.abs(dx) : Number.POSITIVE_INFINITY, Math.abs(dy) > 1e-6 ? hh / Math.abs(dy) : Number.POSITIVE_INFINITY);
    return { x: cx + dx * t, y: cy + dy * t };
  });
  // Push overlapping insets apart along the edge.
  for (let pass = 0; pass < 8; pass++) {
    for (let i = 0; i < pts.length; i++) {
      for (let j = i + 1; j < pts.length; j++) {
        const a = pts[i]!;
        const b = pts[j]!;
        const ox = size.w + 6 - Math.abs(a.x - b.x);
        const oy = size.h + 6 - Math.abs(a.y - b.y);
        if (ox > 0 && oy > 0) {
          const vertical = Math.abs(a.x - cx) > Math.abs(a.y - cy) * (w / h);
          if (vertical) {
            const push = oy / 2 + 1;
            if (a.y <= b.y) { a.y -= push; b.y += push; } else { a.y += push; b.y -= push; }
          } else {
            const push = ox / 2 + 1;
            if (a.x <= b.x) { a.x -= push; b.x += push; } else { a.x += push; b.x -= push; }
          }
        }
      }
    }
    for (const p of pts) {
      p.x = Math.max(size.w / 2 + size.margin, Math.min(w - size.w / 2 - size.margin, p.x));
      p.y = Math.max(size.h / 2 + size.margin, Math.min(h - size.h / 2 - size.margin, p.y));
    }
  }
  return pts;
}
