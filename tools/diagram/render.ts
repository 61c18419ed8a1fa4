/**
 * DOT -> SVG with Graphviz compiled to WebAssembly (@viz-js/viz), and
 * SVG -> PNG with resvg compiled to WebAssembly (@resvg/resvg-wasm), drawing
 * text with the Arimo font shipped by an npm package. Nothing here depends on
 * the machine's fonts or native binaries, so every machine draws the same bytes.
 */
import * as fs from 'fs';
import { instance, type Viz } from '@viz-js/viz';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

/** Arimo is metric-compatible with Helvetica/Arial, the metrics Graphviz lays text out with. */
const FONT_FILES = ['@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf', '@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf'];
const PNG_ZOOM = 1.5;
/** Past this many pixels on a side a PNG is unreadable anyway (think of a fleet of 100 tenants): scale it down. */
const PNG_MAX_SIDE = 16000;

let viz: Promise<Viz> | undefined;
let resvgReady: Promise<void> | undefined;
let fonts: Uint8Array[] | undefined;

export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz failed: ${result.errors.map(e => e.message).join('; ')}`);
  }
  const serious = result.errors.filter(e => e.level === 'error');
  if (serious.length > 0) throw new Error(`Graphviz: ${serious.map(e => e.message).join('; ')}`);
  return result.output;
}

export async function svgToPng(svg: string): Promise<Uint8Array> {
  resvgReady ??= initWasm(fs.readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  await resvgReady;
  fonts ??= FONT_FILES.map(f => new Uint8Array(fs.readFileSync(require.resolve(f))));
  const resvg = new Resvg(svg, {
    // Only the bundled font: the machine's fonts must not change the picture.
    font: { fontBuffers: fonts, defaultFontFamily: 'Arimo', sansSerifFamily: 'Arimo', serifFamily: 'Arimo', monospaceFamily: 'Arimo' },
    fitTo: { mode: 'zoom', value: pngZoom(svg) },
    background: 'white',
  });
  const image = resvg.render();
  const png = image.asPng();
  image.free();
  resvg.free();
  return png;
}

/** Graphviz writes the drawing size in points on the root element; resvg counts 4/3 pixels per point. */
function pngZoom(svg: string): number {
  const size = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg);
  if (!size) return PNG_ZOOM;
  const side = (Math.max(Number(size[1]), Number(size[2])) * 4) / 3;
  return Math.min(PNG_ZOOM, PNG_MAX_SIDE / side);
}
