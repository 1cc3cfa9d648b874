/**
 * The Phaser map: real geography (Natural Earth via world-atlas, projected with d3-geo) drawn once
 * into a canvas texture, then the scenario's places, contested zones, distant powers as insets on
 * the map's edge, relation lines (colour, thickness and dash), and the resolution animation
 * (partnership: solid arc with a handshake badge; pressure: zigzag with a lightning badge).
 *
 * Loaded lazily (Phaser is the largest part of the client).
 */
import Phaser from 'phaser';
import { geoMercator, geoPath, geoGraticule10, geoContains, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import atlasUrl from 'world-atlas/countries-50m.json?url';
import type { Scenario, Place } from '#shared/scenario/schema.ts';
import { splitRegion, insetPositions, type Region } from '../model/geo.ts';
import { relationLines, type Dash } from '../model/relations.ts';
import { hexToNumber, km } from '../model/format.ts';
import type { MapMove } from '../model/view.ts';

export interface MapData {
  scenario: Scenario;
  relations: Record<string, Record<string, number>>;
  me?: string;
  /** Text and inset boxes this many times larger (the projector). */
  textScale?: number;
}

let atlasPromise: Promise<FeatureCollection> | undefined;
function loadAtlas(): Promise<FeatureCollection> {
  atlasPromise ??= fetch(atlasUrl)
    .then((r) => r.json() as Promise<Topology>)
    .then((topo) => feature(topo, topo.objects['countries'] as GeometryCollection) as unknown as FeatureCollection);
  return atlasPromise;
}

const SEA = '#dce8ee';
const LAND = '#f4f1e8';
const BORDER = '#c9c2b0';
const INK = 0x17231d;
const FONT = 'Inter, "Segoe UI", system-ui, sans-serif';
/** Below this map width (a phone), capitals are labelled with the power's name only. */
const COMPACT_WIDTH = 560;

interface Anchor {
  x: number;
  y: number;
  inset: boolean;
}

class MapScene extends Phaser.Scene {
  data_: MapData | undefined;
  atlas: FeatureCollection | undefined;
  projection: GeoProjection | undefined;
  region: Region | undefined;
  anchors = new Map<string, Anchor>();
  placePos = new Map<string, { x: number; y: number }>();
  private base: Phaser.GameObjects.Image | undefined;
  private lines: Phaser.GameObjects.Graphics | undefined;
  private overlay: Phaser.GameObjects.Container | undefined;
  private fx: Phaser.GameObjects.Container | undefined;
  private textureSeq = 0;
  onReady: (() => void) | undefined;

  constructor() {
    super('map');
  }

  create(): void {
    this.scale.on('resize', () => this.rebuild());
    this.rebuild();
    this.onReady?.();
  }

  setData(d: MapData): void {
    const scenarioChanged = this.data_?.scenario !== d.scenario;
    this.data_ = d;
    if (!this.sys.isActive()) return;
    if (scenarioChanged) this.rebuild();
    else this.drawLines();
  }

  rebuild(): void {
    const d = this.data_;
    if (!d || !this.atlas) return;
    const w = this.scale.width;
    const h = this.scale.height;
    if (w < 10 || h < 10) return;
    this.region = splitRegion(d.scenario);
    const [[west, south], [east, north]] = this.region.bounds;
    const frame: Feature<Geometry> = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'MultiPoint', coordinates: [[west, south], [east, north], [west, north], [east, south]] },
    };
    const insetSpace = this.region.distant.length ? 70 : 20;
    this.projection = geoMercator().fitExtent(
      [
        [insetSpace, insetSpace * 0.8],
        [w - insetSpace, h - insetSpace * 0.8],
      ],
      frame,
    );
    this.drawBase(w, h);
    this.overlay?.destroy();
    this.overlay = this.add.container(0, 0).setDepth(3);
    this.lines?.destroy();
    this.lines = this.add.graphics().setDepth(2);
    this.fx?.destroy();
    this.fx = this.add.container(0, 0).setDepth(5);
    this.layoutAnchors(w, h);
    this.drawPlaces();
    this.drawLines();
  }

  private drawBase(w: number, h: number): void {
    const d = this.data_!;
    const canvas = document.createElement('canvas');
    const ratio = Math.min(2, window.devicePixelRatio || 1);
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    const ctx = canvas.getContext('2d')!;
    ctx.scale(ratio, ratio);
    ctx.fillStyle = SEA;
    ctx.fillRect(0, 0, w, h);
    const path = geoPath(this.projection!, ctx);
    ctx.beginPath();
    path(geoGraticule10());
    ctx.strokeStyle = 'rgba(80,110,130,0.12)';
    ctx.lineWidth = 0.7;
    ctx.stroke();
    // Countries that hold a power's (local) capital are tinted with the power's colour.
    const tint = new Map<Feature, string>();
    for (const p of d.scenario.powers) {
      const cap = d.scenario.map.places.find((pl) => pl.id === p.capital);
      if (!cap || this.region!.distant.some((x) => x.place.id === cap.id)) continue;
      const f = this.atlas!.features.find((ft) => geoContains(ft, [cap.lon, cap.lat]));
      if (f) tint.set(f, p.colour);
    }
    for (const f of this.atlas!.features) {
      ctx.beginPath();
      path(f);
      ctx.fillStyle = LAND;
      ctx.fill();
      const c = tint.get(f);
      if (c) {
        ctx.globalAlpha = 0.22;
        ctx.fillStyle = c;
        ctx.fill();
        ctx.globalAlpha = 1;
      }
      ctx.strokeStyle = BORDER;
      ctx.lineWidth = 0.8;
      ctx.stroke();
    }
    const key = `basemap-${++this.textureSeq}`;
    this.base?.destroy();
    for (const k of this.textures.getTextureKeys()) if (k.startsWith('basemap-')) this.textures.remove(k);
    this.textures.addCanvas(key, canvas);
    this.base = this.add.image(0, 0, key).setOrigin(0, 0).setDisplaySize(w, h).setDepth(0);
  }

  private layoutAnchors(w: number, h: number): void {
    const d = this.data_!;
    const proj = this.projection!;
    this.anchors.clear();
    this.placePos.clear();
    for (const p of this.region!.local) {
      const xy = proj([p.lon, p.lat]);
      if (xy) this.placePos.set(p.id, { x: xy[0], y: xy[1] });
    }
    const distant = this.region!.distant;
    const size = this.insetSize(w);
    const pos = insetPositions(distant.map((x) => x.bearing), w, h, size);
    distant.forEach((x, i) => {
      this.placePos.set(x.place.id, pos[i]!);
    });
    for (const p of d.scenario.powers) {
      const cap = d.scenario.map.places.find((pl) => pl.id === p.capital) ?? d.scenario.map.places.find((pl) => pl.power === p.id);
      const pos2 = cap ? this.placePos.get(cap.id) : undefined;
      if (pos2) this.anchors.set(p.id, { ...pos2, inset: distant.some((x) => x.place.id === cap!.id) });
    }
  }

  insetSize(w: number): { w: number; h: number; margin: number } {
    const k = this.data_?.textScale ?? 1;
    return { w: Math.round(Math.min(190 * k, Math.max(120, w * 0.3))), h: Math.round(50 * k), margin: 8 };
  }

  private placed: { x0: number; y0: number; x1: number; y1: number }[] = [];

  /** A label that moves down (or up) until it no longer overlaps an earlier one. */
  private freeLabel(x: number, y: number, text: string, opts: { size?: number; bold?: boolean; colour?: string; originX?: number; originY?: number } = {}): Phaser.GameObjects.Text {
    const t = this.label(x, y, text, opts);
    const box = () => {
      const b = t.getBounds();
      return { x0: b.x - 2, y0: b.y - 1, x1: b.x + b.width + 2, y1: b.y + b.height + 1 };
    };
    const hits = (r: { x0: number; y0: number; x1: number; y1: number }) => this.placed.some((q) => r.x0 < q.x1 && r.x1 > q.x0 && r.y0 < q.y1 && r.y1 > q.y0);
    const step = t.height + 1;
    const tries = [0, 1, -1, 2, -2, 3, -3];
    for (const k of tries) {
      t.setY(y + k * step);
      if (!hits(box())) break;
    }
    this.placed.push(box());
    return t;
  }

  private label(x: number, y: number, text: string, opts: { size?: number; bold?: boolean; colour?: string; originX?: number; originY?: number } = {}): Phaser.GameObjects.Text {
    const t = this.add
      .text(x, y, text, {
        fontFamily: FONT,
        fontSize: `${Math.round((opts.size ?? 12) * (this.data_?.textScale ?? 1))}px`,
        fontStyle: opts.bold ? 'bold' : 'normal',
        color: opts.colour ?? '#17231d',
        stroke: '#ffffff',
        strokeThickness: 3,
      })
      .setOrigin(opts.originX ?? 0.5, opts.originY ?? 0.5)
      .setResolution(Math.min(2, window.devicePixelRatio || 1));
    return t;
  }

  private drawPlaces(): void {
    const d = this.data_!;
    this.placed = [];
    // Reserve the capitals' dots and names first, so that other labels avoid them.
    for (const p of d.scenario.powers) {
      const a = this.anchors.get(p.id);
      if (a && !a.inset) this.placed.push({ x0: a.x - 12, y0: a.y - 28, x1: a.x + 12, y1: a.y + 12 });
    }
    // And the boxes of distant places, drawn last but in the way of labels all the same.
    for (const x of this.region!.distant) {
      const pos = this.placePos.get(x.place.id);
      if (!pos) continue;
      const { w, h } = this.insetSize(this.scale.width);
      this.placed.push({ x0: pos.x - w / 2, y0: pos.y - h / 2, x1: pos.x + w / 2, y1: pos.y + h / 2 });
    }
    const g = this.add.graphics();
    this.overlay!.add(g);
    const powerOf = (pl: Place) => d.scenario.powers.find((p) => p.capital === pl.id || p.id === pl.power);
    // Zones and sea lanes first (under the dots).
    for (const pl of this.region!.local) {
      const pos = this.placePos.get(pl.id);
      if (!pos) continue;
      if (pl.kind === 'zone') {
        g.fillStyle(0xe0a030, 0.16);
        g.fillCircle(pos.x, pos.y, 24);
        dashedCircle(g, pos.x, pos.y, 24, 0xb45f06, 2);
        this.overlay!.add(this.freeLabel(pos.x, pos.y + 32, pl.name, { size: 11, colour: '#7a3e02', bold: true }));
      } else if (pl.kind === 'sea_lane') {
        g.lineStyle(2, 0x3b6e8f, 0.8);
        g.strokeTriangle(pos.x, pos.y - 7, pos.x + 7, pos.y + 5, pos.x - 7, pos.y + 5);
        this.overlay!.add(this.freeLabel(pos.x, pos.y + 15, pl.name, { size: 10, colour: '#24506b' }));
      }
    }
    for (const pl of this.region!.local) {
      const pos = this.placePos.get(pl.id);
      if (!pos || pl.kind === 'zone' || pl.kind === 'sea_lane') continue;
      const pw = powerOf(pl);
      if (pl.kind === 'capital' && pw) {
        const c = hexToNumber(pw.colour);
        g.fillStyle(0xffffff, 1);
        g.fillCircle(pos.x, pos.y, 10);
        g.fillStyle(c, 1);
        g.fillCircle(pos.x, pos.y, 7);
        if (d.me === pw.id) {
          g.lineStyle(2, INK, 1);
          g.strokeCircle(pos.x, pos.y, 13);
        }
        this.overlay!.add(this.freeLabel(pos.x, pos.y - 20, pw.name, { size: 13, bold: true }));
        // On a phone-sized map the capital's own name crowds the power's: the power's is enough.
        if (this.scale.width >= COMPACT_WIDTH) this.overlay!.add(this.freeLabel(pos.x, pos.y + 18, pl.name, { size: 10, colour: '#3b4a42' }));
      } else if (pl.kind === 'venue') {
        g.fillStyle(INK, 1);
        g.fillRect(pos.x - 4, pos.y - 4, 8, 8);
        this.overlay!.add(this.freeLabel(pos.x + 8, pos.y, pl.name, { size: 10, originX: 0 }));
      } else {
        g.fillStyle(pw ? hexToNumber(pw.colour) : 0x5b6b62, 1);
        g.fillCircle(pos.x, pos.y, 4);
        this.overlay!.add(this.freeLabel(pos.x + 7, pos.y, pl.name, { size: 10, originX: 0, colour: '#3b4a42' }));
      }
    }
    // Insets for distant places.
    for (const x of this.region!.distant) {
      const pos = this.placePos.get(x.place.id)!;
      const pw = powerOf(x.place);
      const colour = pw ? hexToNumber(pw.colour) : 0x5b6b62;
      const { w, h } = this.insetSize(this.scale.width);
      g.fillStyle(0xffffff, 0.96);
      g.fillRoundedRect(pos.x - w / 2, pos.y - h / 2, w, h, 8);
      g.lineStyle(1, 0xc9c2b0, 1);
      g.strokeRoundedRect(pos.x - w / 2, pos.y - h / 2, w, h, 8);
      g.fillStyle(colour, 1);
      g.fillRoundedRect(pos.x - w / 2, pos.y - h / 2, 7, h, { tl: 8, bl: 8, tr: 0, br: 0 });
      // An arrow pointing out of the map, towards where the place really is.
      const a = (x.bearing * Math.PI) / 180;
      const ax = pos.x + Math.sin(a) * (w / 2 - 14);
      const ay = pos.y - Math.cos(a) * (h / 2 - 10);
      g.fillStyle(INK, 0.75);
      const tip = { x: ax + Math.sin(a) * 7, y: ay - Math.cos(a) * 7 };
      const l = { x: ax + Math.sin(a - 2.4) * 6, y: ay - Math.cos(a - 2.4) * 6 };
      const r = { x: ax + Math.sin(a + 2.4) * 6, y: ay - Math.cos(a + 2.4) * 6 };
      g.fillTriangle(tip.x, tip.y, l.x, l.y, r.x, r.y);
      const k = d.textScale ?? 1;
      this.overlay!.add(this.label(pos.x - w / 2 + 14, pos.y - 10 * k, pw ? pw.name : x.place.name, { size: 13, bold: true, originX: 0 }));
      const sub = this.label(pos.x - w / 2 + 14, pos.y + 10 * k, `${pw ? `${x.place.name} · ` : ''}${km(x.km)} ${x.direction}`, { size: 10, originX: 0, colour: '#3b4a42' });
      if (sub.width > w - 24) sub.setText(`${km(x.km)} ${x.direction}`);
      this.overlay!.add(sub);
    }
  }

  drawLines(): void {
    const d = this.data_;
    const g = this.lines;
    if (!d || !g) return;
    g.clear();
    for (const l of relationLines(d.scenario, d.relations)) {
      const a = this.anchors.get(l.a);
      const b = this.anchors.get(l.b);
      if (!a || !b) continue;
      const pts = a.inset && b.inset ? this.throughMap(a, b) : arc(a, b, 0.12);
      drawStyled(g, pts, l.style.width, hexToNumber(l.style.colour), 0.85, l.style.dash);
    }
  }

  /**
   * Between two distant powers whose boxes sit side by side on the map's edge, a straight or slightly
   * bent line would be a few pixels between two boxes: bow it deep into the map instead (issue 11).
   */
  private throughMap(a: { x: number; y: number }, b: { x: number; y: number }): { x: number; y: number }[] {
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const cx = this.scale.width / 2;
    const cy = this.scale.height / 2;
    const pull = Math.hypot(a.x - b.x, a.y - b.y) < Math.min(this.scale.width, this.scale.height) * 0.6 ? 0.85 : 0.35;
    const c = { x: mx + (cx - mx) * pull, y: my + (cy - my) * pull };
    const pts: { x: number; y: number }[] = [];
    for (let i = 0; i <= 48; i++) {
      const t = i / 48;
      const u = 1 - t;
      pts.push({ x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y });
    }
    return pts;
  }

  /** Where this turn's move badges are, so that the next one does not land on top of them. */
  private badgeBoxes: { x0: number; y0: number; x1: number; y1: number }[] = [];

  /**
   * Animate a turn's moves one after the other; resolves when done. Sequencing runs on the wall
   * clock (not the scene clock) so that a slow software renderer cannot stretch it: at most ~7 s.
   */
  playMoves(moves: MapMove[], reduced: boolean): Promise<void> {
    const fx = this.fx;
    if (!fx || moves.length === 0) return Promise.resolve();
    fx.removeAll(true);
    this.badgeBoxes = [];
    const per = reduced ? 150 : Math.max(350, Math.min(900, 5000 / moves.length));
    return new Promise((resolve) => {
      moves.forEach((m, i) => {
        window.setTimeout(() => this.animateMove(fx, m, per, reduced), i * per * 0.75);
      });
      const total = moves.length * per * 0.75 + per + (reduced ? 200 : 1200);
      window.setTimeout(() => {
        fx.removeAll(true);
        resolve();
      }, total);
    });
  }

  private animateMove(fx: Phaser.GameObjects.Container, m: MapMove, duration: number, reduced: boolean): void {
    const d = this.data_!;
    const from = this.anchors.get(m.actor);
    if (!from) return;
    const to = m.target ? this.anchors.get(m.target) : m.place ? this.placePos.get(m.place) : undefined;
    const colour = hexToNumber(d.scenario.powers.find((p) => p.id === m.actor)?.colour ?? '#5b6b62');
    const g = this.add.graphics();
    fx.add(g);
    const alpha = m.failed ? 0.45 : 1;
    if (!to) {
      // A move without a target: rings around the actor.
      const ring = this.add.graphics();
      fx.add(ring);
      this.tweens.addCounter({
        from: 0,
        to: 1,
        duration: reduced ? 1 : duration,
        onUpdate: (tw) => {
          const t = tw.getValue() ?? 1;
          ring.clear();
          ring.lineStyle(3, colour, (1 - t) * alpha);
          ring.strokeCircle(from.x, from.y, 12 + t * 30);
        },
      });
      this.badge(fx, from.x, from.y - 34, m, colour);
      return;
    }
    const inset = 'inset' in to && to.inset && from.inset;
    const pts = inset ? this.throughMap(from, to) : m.stroke === 'pressure' ? zigzag(from, to, 9) : arc(from, to, m.stroke === 'partnership' ? 0.22 : 0.1);
    const dash: Dash = m.stroke === 'partnership' ? 'solid' : m.stroke === 'pressure' ? 'solid' : 'dashed';
    const width = m.stroke === 'partnership' ? 5 : 3.5;
    this.tweens.addCounter({
      from: 0,
      to: 1,
      duration: reduced ? 1 : duration,
      ease: 'Sine.easeInOut',
      onUpdate: (tw) => {
        const t = tw.getValue() ?? 1;
        g.clear();
        const n = Math.max(2, Math.round(pts.length * t));
        drawStyled(g, pts.slice(0, n), width, colour, alpha, m.failed ? 'dotted' : dash);
        const head = pts[n - 1]!;
        if (m.stroke === 'pressure') {
          g.fillStyle(colour, alpha);
          const prev = pts[Math.max(0, n - 3)]!;
          const ang = Math.atan2(head.y - prev.y, head.x - prev.x);
          g.fillTriangle(
            head.x + Math.cos(ang) * 10,
            head.y + Math.sin(ang) * 10,
            head.x + Math.cos(ang + 2.5) * 9,
            head.y + Math.sin(ang + 2.5) * 9,
            head.x + Math.cos(ang - 2.5) * 9,
            head.y + Math.sin(ang - 2.5) * 9,
          );
        } else if (m.stroke === 'partnership') {
          g.fillStyle(0xffffff, alpha);
          g.fillCircle(head.x, head.y, 7);
          g.lineStyle(3, colour, alpha);
          g.strokeCircle(head.x, head.y, 7);
        }
      },
      onComplete: () => {
        if (m.stroke === 'pressure' && !m.failed) burst(this, fx, to.x, to.y, colour);
        if (m.stroke === 'partnership' && !m.failed) {
          const r = this.add.graphics();
          fx.add(r);
          r.lineStyle(3, colour, 0.9);
          r.strokeCircle(from.x, from.y, 16);
          r.strokeCircle(to.x, to.y, 16);
        }
      },
    });
    const mid = pts[Math.floor(pts.length / 2)]!;
    this.badge(fx, mid.x, mid.y - 18, m, colour);
  }

  private badge(fx: Phaser.GameObjects.Container, x: number, y: number, m: MapMove, colour: number): void {
    const symbol = m.stroke === 'partnership' ? '+' : m.stroke === 'pressure' ? '!' : '~';
    const text = `${symbol} ${m.label}${m.failed ? ' (failed)' : ''}`;
    const t = this.label(x, y, text, { size: 12, bold: true, colour: m.failed ? '#5b6b62' : '#17231d' });
    // Move down (or up) until it no longer covers an earlier badge of this turn.
    const box = (yy: number) => ({ x0: x - t.width / 2 - 8, y0: yy - t.height / 2 - 5, x1: x + t.width / 2 + 8, y1: yy + t.height / 2 + 5 });
    const hits = (r: ReturnType<typeof box>) => this.badgeBoxes.some((q) => r.x0 < q.x1 && r.x1 > q.x0 && r.y0 < q.y1 && r.y1 > q.y0);
    const step = t.height + 10;
    for (const k of [0, 1, -1, 2, -2, 3, -3, 4, -4]) {
      const yy = Math.min(this.scale.height - t.height, Math.max(t.height, y + k * step));
      if (!hits(box(yy))) {
        y = yy;
        break;
      }
    }
    t.setY(y);
    this.badgeBoxes.push(box(y));
    const bg = this.add.graphics();
    bg.fillStyle(0xffffff, 0.94);
    bg.fillRoundedRect(x - t.width / 2 - 6, y - t.height / 2 - 3, t.width + 12, t.height + 6, 6);
    bg.lineStyle(2, colour, 1);
    bg.strokeRoundedRect(x - t.width / 2 - 6, y - t.height / 2 - 3, t.width + 12, t.height + 6, 6);
    fx.add(bg);
    fx.add(t);
  }
}

function arc(a: { x: number; y: number }, b: { x: number; y: number }, bend: number): { x: number; y: number }[] {
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const cx = mx - dy * bend;
  const cy = my + dx * bend;
  const pts: { x: number; y: number }[] = [];
  const n = 48;
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const u = 1 - t;
    pts.push({ x: u * u * a.x + 2 * u * t * cx + t * t * b.x, y: u * u * a.y + 2 * u * t * cy + t * t * b.y });
  }
  return pts;
}

function zigzag(a: { x: number; y: number }, b: { x: number; y: number }, amp: number): { x: number; y: number }[] {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len;
  const ny = dx / len;
  const steps = Math.max(6, Math.round(len / 14));
  const pts: { x: number; y: number }[] = [];
  for (let i = 0; i <= steps * 4; i++) {
    const t = i / (steps * 4);
    const phase = i % 4;
    const off = i === 0 || i === steps * 4 ? 0 : phase === 1 ? amp : phase === 3 ? -amp : 0;
    pts.push({ x: a.x + dx * t + nx * off, y: a.y + dy * t + ny * off });
  }
  return pts;
}

function drawStyled(g: Phaser.GameObjects.Graphics, pts: { x: number; y: number }[], width: number, colour: number, alpha: number, dash: Dash): void {
  g.lineStyle(width, colour, alpha);
  if (dash === 'solid') {
    g.beginPath();
    g.moveTo(pts[0]!.x, pts[0]!.y);
    for (const p of pts.slice(1)) g.lineTo(p.x, p.y);
    g.strokePath();
    return;
  }
  const on = dash === 'dashed' ? 12 : 3;
  const off = dash === 'dashed' ? 8 : 7;
  let acc = 0;
  let drawing = true;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const seg = Math.hypot(b.x - a.x, b.y - a.y);
    let t0 = 0;
    while (t0 < seg) {
      const limit = (drawing ? on : off) - acc;
      const t1 = Math.min(seg, t0 + limit);
      if (drawing) {
        const p0 = { x: a.x + ((b.x - a.x) * t0) / seg, y: a.y + ((b.y - a.y) * t0) / seg };
        const p1 = { x: a.x + ((b.x - a.x) * t1) / seg, y: a.y + ((b.y - a.y) * t1) / seg };
        if (dash === 'dotted') g.fillStyle(colour, alpha).fillCircle(p0.x, p0.y, width / 2 + 0.5);
        else g.lineBetween(p0.x, p0.y, p1.x, p1.y);
      }
      acc += t1 - t0;
      t0 = t1;
      if (acc >= (drawing ? on : off)) {
        acc = 0;
        drawing = !drawing;
      }
    }
  }
}

function dashedCircle(g: Phaser.GameObjects.Graphics, x: number, y: number, r: number, colour: number, width: number): void {
  g.lineStyle(width, colour, 0.9);
  const n = 24;
  for (let i = 0; i < n; i += 2) {
    const a0 = (i / n) * Math.PI * 2;
    const a1 = ((i + 1) / n) * Math.PI * 2;
    g.beginPath();
    g.arc(x, y, r, a0, a1);
    g.strokePath();
  }
}

function burst(scene: Phaser.Scene, fx: Phaser.GameObjects.Container, x: number, y: number, colour: number): void {
  const g = scene.add.graphics();
  fx.add(g);
  g.lineStyle(3, colour, 1);
  for (let i = 0; i < 8; i++) {
    const a = (i / 8) * Math.PI * 2;
    g.lineBetween(x + Math.cos(a) * 10, y + Math.sin(a) * 10, x + Math.cos(a) * 20, y + Math.sin(a) * 20);
  }
}

export class MapView {
  private game: Phaser.Game;
  private scene: MapScene;
  private ready: Promise<void>;
  private pendingData: MapData | undefined;
  private resize: ResizeObserver;
  private sleepTimer = 0;
  private busy = 0;

  /** Run the game loop for at least `ms`, then let it sleep (unless an animation is playing). */
  wake(ms: number): void {
    if (!this.game.loop.running) this.game.loop.wake();
    window.clearTimeout(this.sleepTimer);
    this.sleepTimer = window.setTimeout(() => {
      if (this.busy === 0 && this.game.loop.running) this.game.loop.sleep();
    }, ms);
  }

  constructor(parent: HTMLElement) {
    this.scene = new MapScene();
    let resolveReady!: () => void;
    this.ready = new Promise((r) => {
      resolveReady = r;
    });
    this.scene.onReady = () => resolveReady();
    this.game = new Phaser.Game({
      type: Phaser.AUTO,
      parent,
      backgroundColor: SEA,
      scale: { mode: Phaser.Scale.RESIZE, width: parent.clientWidth || 800, height: parent.clientHeight || 500 },
      scene: [this.scene],
      banner: false,
      audio: { noAudio: true },
      render: { antialias: true },
      fps: { limit: 30 },
    });
    // The map is still most of the time: let the loop sleep between changes (software WebGL on
    // classroom laptops, several tabs in tests).
    this.resize = new ResizeObserver(() => this.wake(600));
    void loadAtlas().then(async (atlas) => {
      await this.ready;
      this.scene.atlas = atlas;
      if (this.pendingData) this.scene.data_ = this.pendingData;
      this.scene.rebuild();
      parent.dataset['mapReady'] = 'true';
      this.resize.observe(parent);
      this.wake(800);
    });
  }

  set(data: MapData): void {
    const same = this.pendingData && this.pendingData.scenario === data.scenario && JSON.stringify(this.pendingData.relations) === JSON.stringify(data.relations) && this.pendingData.me === data.me;
    this.pendingData = data;
    if (same) return;
    if (this.scene.atlas) {
      this.wake(400);
      this.scene.setData(data);
    }
  }

  async play(moves: MapMove[]): Promise<void> {
    await this.ready;
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    this.busy++;
    this.wake(1000);
    try {
      await this.scene.playMoves(moves, reduced);
    } finally {
      this.busy--;
      this.wake(500);
    }
  }

  destroy(): void {
    window.clearTimeout(this.sleepTimer);
    this.resize.disconnect();
    this.game.destroy(true);
  }
}
