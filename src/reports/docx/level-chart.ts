import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import type { VulnLevel } from '../../generated/prisma/enums.js';
import { LEVEL_LABELS, LEVELS, type ReportLang } from '../labels.js';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 320;
const COLORS: Record<VulnLevel, string> = { CRITICAL: '#8e1b1b', HIGH: '#d9480f', MEDIUM: '#f59f00', LOW: '#1c7ed6', INFO: '#868e96' };

/**
 * Fonts the chart's labels may use (the renderer has no system font access). A CJK one makes
 * Chinese labels possible; without one the labels fall back to English.
 */
const CJK_FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', // Debian fonts-noto-cjk
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', // fonts-wqy-microhei
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', // fonts-droid-fallback
];
const LATIN_FONTS = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'];
const FAMILIES = "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Droid Sans Fallback', 'DejaVu Sans', 'Liberation Sans', sans-serif";

let ready: Promise<void> | undefined;
const init = () =>
  (ready ??= initWasm(readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm'))));

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The bar chart's SVG: one bar per level, its count above it, the level's name below. */
export function levelChartSvg(counts: Record<VulnLevel, number>, labels: Record<VulnLevel, string>, title: string): string {
  const max = Math.max(1, ...LEVELS.map((l) => counts[l]));
  const top = 50;
  const base = CHART_HEIGHT - 40;
  const slot = (CHART_WIDTH - 40) / LEVELS.length;
  const bars = LEVELS.map((level, i) => {
    const h = Math.round(((base - top) * counts[level]) / max);
    const x = 20 + i * slot + slot * 0.2;
    const w = slot * 0.6;
    const cx = x + w / 2;
    return (
      `<rect x="${x}" y="${base - h}" width="${w}" height="${h}" fill="${COLORS[level]}"/>` +
      `<text x="${cx}" y="${base - h - 6}" font-size="14" text-anchor="middle">${counts[level]}</text>` +
      `<text x="${cx}" y="${base + 22}" font-size="14" text-anchor="middle">${escapeXml(labels[level])}</text>`
    );
  }).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" font-family="${FAMILIES}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${CHART_WIDTH / 2}" y="26" font-size="16" font-weight="bold" text-anchor="middle">${escapeXml(title)}</text>` +
    `<line x1="20" y1="${base}" x2="${CHART_WIDTH - 20}" y2="${base}" stroke="#495057"/>${bars}</svg>`
  );
}

let fontBuffers: { cjk: boolean; buffers: Buffer[] } | undefined;
/**
 * The first CJK font found (it has Latin letters and digits too: parsing a second font costs as
 * much as rendering), else the Latin ones; read once per process.
 */
function fonts(): { cjk: boolean; buffers: Buffer[] } {
  if (fontBuffers) return fontBuffers;
  const cjk = CJK_FONTS.find((f) => existsSync(f));
  const files = cjk ? [cjk] : LATIN_FONTS.filter((f) => existsSync(f));
  return (fontBuffers = { cjk: Boolean(cjk), buffers: files.map((f) => readFileSync(f)) });
}

/** The chart as PNG (resvg compiled to WebAssembly: no native module, nothing downloaded). */
export async function levelChartPng(counts: Record<VulnLevel, number>, lang: ReportLang, titles: Record<ReportLang, string>): Promise<Uint8Array> {
  await init();
  const { cjk, buffers } = fonts();
  const labelLang: ReportLang = lang === 'zh' && !cjk ? 'en' : lang;
  const svg = levelChartSvg(counts, LEVEL_LABELS[labelLang], titles[labelLang]);
  const resvg = new Resvg(svg, { font: { fontBuffers: buffers, loadSystemFonts: false } });
  const image = resvg.render();
  try {
    return image.asPng();
  } finally {
    image.free();
    resvg.free();
  }
}
