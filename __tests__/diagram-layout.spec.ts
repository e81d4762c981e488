/**
 * The committed diagrams read at page width: a GitHub page shows a picture at most 900 CSS px
 * wide, so each picture's texts must stay at or above 11 px at that width, and no arrow may run
 * through a box or a caption it does not belong to. Measured on Graphviz's own layout of the
 * committed picture (its JSON output: node boxes, the arrows' Bézier curves, every text with its
 * width and size), which the first test ties to the committed SVG and PNG.
 */
import { instance, type Viz } from "@viz-js/viz";
import * as fs from "fs";
import * as path from "path";
import { DIAGRAM_DIR, diagramDot, SIZE_DIAGRAMS } from "../tools/lib/ops/diagrams";

/** The widest a GitHub page shows a picture, in CSS px. */
const PAGE_PX = 900;
/** The smallest text that stays readable there, in px. */
const READABLE_PX = 11;
/** The PNG's zoom over the SVG's CSS size (sharp on a 2x screen). */
const PNG_ZOOM = 2;
/** CSS px per point (Graphviz lays out in points). */
const PX_PER_PT = 4 / 3;

const PICTURES: [string, string, "100000-users" | undefined][] = [
  ["dev", "dev", undefined],
  ["prod", "prod", undefined],
  ...Object.entries(SIZE_DIAGRAMS).map(([name, { environment, size }]) => [name, environment, size] as [string, string, "100000-users"]),
];

interface Box {
  readonly what: string;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}
type Point = [number, number];
interface DrawOp {
  op: string;
  points?: Point[];
  pt?: Point;
  align?: string;
  width?: number;
  text?: string;
  size?: number;
}
interface LayoutObject {
  _gvid: number;
  name: string;
  pos?: string;
  width?: string;
  height?: string;
  nodes?: number[];
  [draw: `_${string}draw_`]: DrawOp[] | undefined;
}
interface Layout {
  bb: string;
  objects: LayoutObject[];
  edges?: (LayoutObject & { tail: number; head: number; style?: string })[];
  _ldraw_?: DrawOp[];
}

/** The texts an object draws (label, head, tail and external labels), each with its box and font size. */
function texts(owner: string, ops: DrawOp[] | undefined): (Box & { size: number; text: string })[] {
  let size = 14;
  return (ops ?? []).flatMap((op) => {
    if (op.op === "F") size = op.size!;
    if (op.op !== "T") return [];
    const [x, y] = op.pt!;
    const x0 = op.align === "c" ? x - op.width! / 2 : op.align === "r" ? x - op.width! : x;
    // y grows upwards; the point is the baseline
    return [{ what: `${owner}: "${op.text}"`, text: op.text!, size, x0, x1: x0 + op.width!, y0: y - 0.2 * size, y1: y + 0.8 * size }];
  });
}

const LABEL_DRAWS = ["_ldraw_", "_hldraw_", "_tldraw_", "_xldraw_"] as const;

/** Points along an arrow's curve (its cubic Bézier segments, 20 points each). */
function curve(edge: LayoutObject): Point[] {
  const b = (edge._draw_ ?? []).find((op) => op.op === "b")?.points ?? [];
  const points: Point[] = [];
  for (let i = 0; i + 3 < b.length; i += 3) {
    const [p0, p1, p2, p3] = b.slice(i, i + 4);
    for (let k = 0; k <= 20; k++) {
      const t = k / 20;
      const m = 1 - t;
      const at = (j: 0 | 1) => m * m * m * p0[j] + 3 * m * m * t * p1[j] + 3 * m * t * t * p2[j] + t * t * t * p3[j];
      points.push([at(0), at(1)]);
    }
  }
  return points;
}

const inside = ([x, y]: Point, b: Box, margin: number) => x > b.x0 + margin && x < b.x1 - margin && y > b.y0 + margin && y < b.y1 - margin;

let viz: Viz;
beforeAll(async () => {
  viz = await instance();
});

describe.each(PICTURES)("the committed picture %s", (name, environment, size) => {
  const dot = diagramDot(environment, size);
  const svg = fs.readFileSync(path.join(DIAGRAM_DIR, `${name}.svg`), "utf8");
  const png = fs.readFileSync(path.join(DIAGRAM_DIR, `${name}.png`));
  let layout: Layout;
  beforeAll(() => {
    layout = JSON.parse(viz.renderString(dot, { format: "json" })) as Layout;
  });
  const objects = () => layout.objects;
  const nodes = () => objects().filter((o) => o.pos !== undefined && o.nodes === undefined);
  const clusters = () => objects().filter((o) => o.nodes !== undefined);
  const widthPt = () => Number(layout.bb.split(",")[2]);
  const nodeBox = (n: LayoutObject): Box => {
    const [x, y] = n.pos!.split(",").map(Number);
    const [w, h] = [Number(n.width) * 72, Number(n.height) * 72];
    return { what: `node ${n.name}`, x0: x - w / 2, x1: x + w / 2, y0: y - h / 2, y1: y + h / 2 };
  };
  const allTexts = () => [
    ...texts("title", layout._ldraw_),
    ...objects().flatMap((o) => LABEL_DRAWS.flatMap((d) => texts(o.name, o[d]))),
    ...(layout.edges ?? []).flatMap((e) => LABEL_DRAWS.flatMap((d) => texts(`${e.tail}->${e.head}`, e[d]))),
  ];

  test("is the layout measured here: the committed SVG is today's picture, and the PNG is it at twice its CSS size", () => {
    expect(viz.renderString(dot, { format: "svg" })).toBe(svg);
    const [pngWidth, pngHeight] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const [svgWidth, svgHeight] = [/<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg)!.slice(1, 3)].map(([w, h]) => [Number(w), Number(h)])[0];
    expect(pngWidth).toBe(Math.round(svgWidth * PX_PER_PT * PNG_ZOOM));
    expect(pngHeight).toBe(Math.round(svgHeight * PX_PER_PT * PNG_ZOOM));
  });

  test(`keeps every text at ${READABLE_PX} px or more when a page shows it ${PAGE_PX} px wide`, () => {
    const widthPx = widthPt() * PX_PER_PT;
    const scale = Math.min(1, PAGE_PX / widthPx);
    const smallest = Math.min(...allTexts().map((t) => t.size));
    expect(smallest * PX_PER_PT * scale).toBeGreaterThanOrEqual(READABLE_PX);
    // and its PNG no wider than twice a page's width, give or take a tenth
    expect(png.readUInt32BE(16)).toBeLessThanOrEqual(PAGE_PX * PNG_ZOOM * 1.1);
  });

  test("no arrow runs through a box it does not connect", () => {
    const byId = new Map(objects().map((o) => [o._gvid, o]));
    const crossings = (layout.edges ?? []).flatMap((edge) => {
      const points = curve(edge);
      return nodes()
        .filter((n) => n._gvid !== edge.tail && n._gvid !== edge.head)
        .map(nodeBox)
        .filter((box) => points.some((p) => inside(p, box, 2)))
        .map((box) => `${byId.get(edge.tail)!.name} -> ${byId.get(edge.head)!.name} crosses ${box.what}`);
    });
    expect(crossings).toEqual([]);
  });

  test("no arrow runs through a region's or a box's caption, or another arrow's label", () => {
    const byId = new Map(objects().map((o) => [o._gvid, o]));
    const captions = [
      ...texts("title", layout._ldraw_),
      ...clusters().flatMap((c) => texts(c.name, c._ldraw_)),
      ...(layout.edges ?? []).flatMap((e) => LABEL_DRAWS.flatMap((d) => texts(`${e.tail}->${e.head}`, e[d]))),
    ];
    const crossings = (layout.edges ?? []).flatMap((edge) => {
      const points = curve(edge);
      return captions
        .filter((t) => !t.what.startsWith(`${edge.tail}->${edge.head}:`))
        .filter((t) => points.some((p) => inside(p, t, 1)))
        .map((t) => `${byId.get(edge.tail)!.name} -> ${byId.get(edge.head)!.name} crosses ${t.what}`);
    });
    expect(crossings).toEqual([]);
  });

  test("no two texts overlap (a label under CloudFront once did), by the widths Graphviz measured", () => {
    const boxes = allTexts();
    expect(boxes.length).toBeGreaterThan(20);
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
        .map((b) => `${a.what} / ${b.what}`),
    );
    expect(overlapping).toEqual([]);
  });

  test('counts in words (no "1 tasks") and draws the VPC once', () => {
    expect(svg).not.toMatch(/>1 tasks\b/);
    expect([...svg.matchAll(/>VPC 10\.0\.0\.0\/16/g)]).toHaveLength(1);
  });
});
