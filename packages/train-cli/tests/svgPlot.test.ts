import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteFile, barChart, heatmapChart, lineChart, svgToPng, violinChart, writePlot } from '../src/index.js';

/** Every `M`/`L` coordinate pair of the first `<path d=...>` in an SVG. */
function pathPoints(svg: string): { cmd: string; x: number; y: number }[] {
  const d = /<path d="([^"]+)"/.exec(svg)![1]!;
  return [...d.matchAll(/([ML])([\d.-]+) ([\d.-]+)/g)].map((m) => ({ cmd: m[1]!, x: +m[2]!, y: +m[3]! }));
}

function pngSize(png: Uint8Array): { w: number; h: number } {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { w: v.getUint32(16), h: v.getUint32(20) };
}

describe('lineChart', () => {
  it('maps data monotonically to pixels (x right, y up) and labels the series', () => {
    const svg = lineChart({
      title: 'T',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [{ name: 'train', x: [0, 1, 2], y: [3, 2, 1] }],
    });
    const pts = pathPoints(svg);
    expect(pts).toHaveLength(3);
    expect(pts[0]!.x).toBeLessThan(pts[1]!.x);
    expect(pts[0]!.y).toBeLessThan(pts[2]!.y); // y = 3 is drawn above y = 1
    expect(svg).toContain('>train</text>');
    expect(svg).toContain('>epoch</text>');
  });

  it('leaves a gap at NaN/Infinity instead of drawing 0', () => {
    const svg = lineChart({
      title: 'T',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 's', x: [1, 2, 3, 4], y: [1, Number.NaN, 3, 4] }],
    });
    const pts = pathPoints(svg);
    expect(pts.map((p) => p.cmd)).toEqual(['M', 'M', 'L']);
  });

  it('skips non-positive values on a log axis and puts decade ticks', () => {
    const svg = lineChart({
      title: 'T',
      xLabel: 'ε',
      yLabel: 'L',
      logX: true,
      logY: true,
      series: [{ name: 's', x: [0, 0.01, 0.1, 1], y: [5, 10, 100, 1000] }],
    });
    expect(pathPoints(svg)).toHaveLength(3);
    for (const t of ['0.01', '0.1', '1', '10', '100', '1000']) expect(svg).toContain(`>${t}</text>`);
  });

  it('puts the legend box in the requested corner', () => {
    const spec = { title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [0, 1], y: [0, 1] }] };
    const legendBox = (svg: string) => {
      const m = svg.match(/<rect x="([\d.-]+)" y="([\d.-]+)" width="[\d.]+" height="[\d.]+" fill="white" fill-opacity/);
      return { x: Number(m![1]), y: Number(m![2]) };
    };
    const tr = legendBox(lineChart(spec));
    const br = legendBox(lineChart({ ...spec, legendAt: 'bottom-right' }));
    const bl = legendBox(lineChart({ ...spec, legendAt: 'bottom-left' }));
    expect(br.x).toBe(tr.x);
    expect(br.y).toBeGreaterThan(tr.y + 200);
    expect(bl.y).toBe(br.y);
    expect(bl.x).toBeLessThan(br.x - 300);
  });

  it('shades a band between lower and upper under the line, split at gaps, and widens the y axis to hold it', () => {
    const series = { name: 's', x: [0, 1, 2, 3], y: [1, 1, 1, 1] };
    const svg = lineChart({
      title: 'T',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ ...series, band: { lower: [0, Number.NaN, 0.5, 0.5], upper: [3, 2, 1.5, 1.5] } }],
    });
    const bands = [...svg.matchAll(/<path class="band" d="([^"]+)" fill="([^"]+)" fill-opacity="([\d.]+)"/g)];
    // Index 1 has a NaN bound: the band splits into a one-point piece and a two-point piece.
    expect(bands).toHaveLength(2);
    expect(bands[1]![2]).toBe('#0072B2');
    expect(bands[1]![3]).toBe('0.3');
    const corners = [...bands[1]![1]!.matchAll(/([\d.-]+) ([\d.-]+)/g)].map((m) => ({ x: +m[1]!, y: +m[2]! }));
    expect(corners).toHaveLength(4); // upper at x = 2, 3, then lower at x = 3, 2
    expect(corners[0]!.x).toBeLessThan(corners[1]!.x);
    expect(corners[2]!.x).toBe(corners[1]!.x);
    expect(corners[0]!.y).toBeLessThan(corners[3]!.y); // upper (1.5) drawn above lower (0.5)
    // The band is drawn before the line, and the line (y = 1) lies between the band's edges.
    expect(svg.indexOf('class="band"')).toBeLessThan(svg.indexOf('<path d='));
    const lineY = pathPoints(svg)[2]!.y;
    expect(lineY).toBeGreaterThan(corners[0]!.y);
    expect(lineY).toBeLessThan(corners[3]!.y);
    // y = 3 (the band's top) is inside the plot: a tick at 3 exists only because the axis grew for the band.
    expect(svg).toContain('>3</text>');
    expect(lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [series] })).not.toContain('class="band"');
    const custom = lineChart({
      title: 'T',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ ...series, band: { lower: [0, 0, 0, 0], upper: [2, 2, 2, 2], opacity: 0.5 } }],
    });
    expect(custom).toContain('fill-opacity="0.5"');
  });

  it('escapes markup in labels', () => {
    const svg = lineChart({ title: 'a<b & "c"', xLabel: 'x', yLabel: 'y', series: [] });
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot;');
  });
});

describe('barChart, violinChart, heatmapChart', () => {
  it('draws one bar per finite value and a note for a missing one', () => {
    const svg = barChart({
      title: 'methods',
      yLabel: 'L',
      bars: [
        { label: 'a', value: 2 },
        { label: 'b', value: 4 },
        { label: 'c', value: Number.NaN, note: 'too large' },
      ],
    });
    const heights = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([\d.]+)" fill="#/g)].map(
      (m) => +m[1]!,
    );
    expect(heights).toHaveLength(2);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 5);
    expect(svg).toContain('too large');
  });

  it('draws one violin per non-empty group', () => {
    const svg = violinChart({
      title: 'v',
      xLabel: 'p',
      yLabel: 'd',
      groups: [
        { label: '0', values: [1, 2, 3, 2.5] },
        { label: '0.2', values: [] },
      ],
    });
    expect(svg.match(/fill-opacity="0.45"/g)).toHaveLength(1);
  });

  it('puts heat-map row 0 at the bottom and column 0 at the left', () => {
    const svg = heatmapChart({
      title: 'h',
      xLabel: 'x',
      yLabel: 'y',
      xRange: [0, 1],
      yRange: [0, 1],
      columns: 2,
      rows: 2,
      values: [0, 0, 0, 1],
    });
    const cells = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="[\d.]+" fill="(rgb\([^)]+\))"/g),
    ].slice(0, 4);
    const darkest = cells.find((c) => c[3] === 'rgb(8,48,107)')!; // value 1 = row 1 (top), column 1 (right)
    const others = cells.filter((c) => c !== darkest);
    for (const o of others) {
      expect(+darkest[2]!).toBeLessThanOrEqual(+o[2]!);
      expect(+darkest[1]!).toBeGreaterThanOrEqual(+o[1]!);
    }
  });
});

describe('PNG and atomic writes', () => {
  it('rasterises to a PNG of the scaled size', () => {
    const png = svgToPng(
      lineChart({
        title: 'T',
        xLabel: 'x',
        yLabel: 'y',
        width: 300,
        height: 200,
        series: [{ name: 's', x: [0, 1], y: [0, 1] }],
      }),
      2,
    );
    expect(Array.from(png.slice(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(pngSize(png)).toEqual({ w: 600, h: 400 });
  });

  it('writes SVG and PNG, and a failed write leaves the old file and no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lipkit-plot-'));
    const paths = await writePlot(dir, 'curve', lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [] }));
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['curve.svg', 'curve.png']);
    const target = join(dir, 'keep.txt');
    await writeFile(target, 'old');
    const bad = { [Symbol.iterator]: null } as unknown as Uint8Array; // not writable data: writeFile throws
    await expect(atomicWriteFile(target, bad)).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
