/** Saves a chart as SVG and PNG. */
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { atomicWriteFile } from './atomicWriteFile.js';

/**
 * Rasterises an SVG chart (from `svgPlot`) to PNG with resvg, using the system fonts (text is left out of the PNG
 * when a machine has no fonts; the SVG keeps it). `scale` multiplies the pixel size (default 2, for sharp output).
 */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  });
  return r.render().asPng();
}

/**
 * Writes `<dir>/<name>.svg` and, unless `png` is false, `<dir>/<name>.png`, both atomically.
 * Resolves to the paths written.
 */
export async function writePlot(dir: string, name: string, svg: string, { png = true } = {}): Promise<string[]> {
  const svgPath = join(dir, `${name}.svg`);
  await atomicWriteFile(svgPath, svg);
  if (!png) return [svgPath];
  const pngPath = join(dir, `${name}.png`);
  await atomicWriteFile(pngPath, svgToPng(svg));
  return [svgPath, pngPath];
}
