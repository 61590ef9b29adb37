import {
  AlignmentType,
  CarriageReturn,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { LEVEL_LABELS, LEVELS, RISK_LABELS, STATUS_LABELS, STATUSES, type ReportLang } from '../labels.js';
import type { ReportFinding, ReportHeader } from '../report-data.js';
import { CHART_HEIGHT, CHART_WIDTH, levelChartPng } from './level-chart.js';
import { CHART_TITLES, REPORT_TEXTS } from './report-texts.js';
import { xmlSafe } from './xml-safe.js';

type Texts = (typeof REPORT_TEXTS)[ReportLang];

/** Latin text in Calibri, Chinese in SimSun (Word's names; other readers substitute a CJK font). */
const FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'SimSun', cs: 'Calibri' };
const MONO = { ascii: 'Consolas', hAnsi: 'Consolas', eastAsia: 'SimSun', cs: 'Consolas' };

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const run = (text: string, opts: { bold?: boolean; size?: number; newLine?: boolean } = {}) =>
  new TextRun({ text: xmlSafe(text), bold: opts.bold, size: opts.size, break: opts.newLine ? 1 : undefined });

/** "label: value" on one line. */
const field = (label: string, value: string) => new Paragraph({ children: [run(`${label}: `, { bold: true }), run(value)] });

/** Lines as run children: text, a line break, text... (one run however many lines). */
function lines(text: string, out: (string | CarriageReturn)[] = []): (string | CarriageReturn)[] {
  const parts = xmlSafe(text).split(/\r\n|\r|\n/);
  for (let i = 0; i < parts.length; i++) {
    if (i) out.push(new CarriageReturn());
    if (parts[i]) out.push(parts[i]);
  }
  return out;
}

const cell = (text: string, opts: { bold?: boolean; width?: number } = {}) =>
  new TableCell({
    width: opts.width === undefined ? undefined : { size: opts.width, type: WidthType.DXA },
    margins: { left: 80, right: 80, top: 30, bottom: 30 },
    children: [new Paragraph({ children: [run(text, { bold: opts.bold })] })],
  });

function cover(data: ReportHeader, t: Texts): Paragraph[] {
  const period = data.from && data.to ? `${iso(data.from)} – ${iso(data.to)}` : t.allTime;
  return [
    new Paragraph({ spacing: { before: 2400, after: 600 }, alignment: AlignmentType.CENTER, children: [run(t.title, { bold: true, size: 48 })] }),
    field(t.organization, data.organization),
    field(t.site, `${data.site.name} (${data.site.url})`),
    field(t.period, period),
    field(t.generatedAt, iso(data.generatedAt)),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

/** Text width of an A4 page with docx's default 1-inch margins, in twentieths of a point. */
const TEXT_WIDTH = 9026;

function summaryTable(data: ReportHeader, lang: ReportLang, t: Texts): Table {
  // The level column, then the four statuses and the total sharing the rest.
  const first = 1526;
  const rest = (TEXT_WIDTH - first) / (STATUSES.length + 1);
  const widths = [first, ...STATUSES.map(() => rest), rest];
  const row = (texts: string[], bold: boolean, header = false) =>
    new TableRow({ tableHeader: header, children: texts.map((text, i) => cell(text, { bold: bold || i === 0, width: widths[i] })) });
  const header = row([t.level, ...STATUSES.map((s) => STATUS_LABELS[lang][s]), t.total], true, true);
  const rows = LEVELS.map((level) => {
    const byStatus = data.counts[level];
    const total = STATUSES.reduce((n, s) => n + byStatus[s], 0);
    return row([LEVEL_LABELS[lang][level], ...STATUSES.map((s) => String(byStatus[s])), String(total)], false);
  });
  const column = (s: (typeof STATUSES)[number]) => LEVELS.reduce((n, l) => n + data.counts[l][s], 0);
  const totals = row([t.total, ...STATUSES.map((s) => String(column(s))), String(STATUSES.reduce((n, s) => n + column(s), 0))], true);
  return new Table({ width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: widths, rows: [header, ...rows, totals] });
}

/**
 * One finding: its heading, then one paragraph holding the fields and every section (bold
 * labels, text in line-broken runs). Few objects per finding: docx keeps the whole tree in
 * memory and walks it twice to write it, so 5,000 findings cost what their objects cost.
 */
function findingParagraphs(f: ReportFinding, n: number, lang: ReportLang, t: Texts): Paragraph[] {
  const fields = lines(
    `${t.level}: ${LEVEL_LABELS[lang][f.level]}    ${t.status}: ${STATUS_LABELS[lang][f.status]}\n` +
      `${t.url}: ${f.url ?? t.none}\n${t.parameter}: ${f.parameter ?? t.none}\n` +
      `${t.firstSeen}: ${iso(f.firstSeen)}    ${t.lastSeen}: ${iso(f.lastSeen)}`,
  );
  const body: TextRun[] = [new TextRun({ children: fields })];
  const section = (label: string, text: string, mono = false) => {
    body.push(new TextRun({ text: `${label}:`, bold: true, break: 1 }));
    body.push(new TextRun({ break: 1, children: lines(text), font: mono ? MONO : undefined, size: mono ? 18 : undefined }));
  };
  if (f.evidence) {
    const cut = f.evidenceLength > f.evidence.length ? `\n${t.truncated(f.evidence.length, f.evidenceLength)}` : '';
    section(t.evidence, f.evidence + cut, true);
  }
  if (f.description) section(t.description, f.description);
  if (f.solution) section(t.solution, f.solution);
  if (f.references.length) section(t.references, f.references.join('\n'));
  if (f.history.length) {
    const history = f.history.map((h) => {
      const from = h.from ? `${STATUS_LABELS[lang][h.from]} → ` : '';
      return `${iso(h.at)}  ${from}${STATUS_LABELS[lang][h.to]}${h.by ? ` (${h.by})` : ''}: ${h.reason}`;
    });
    section(t.history, history.join('\n'));
  }
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_3, keepNext: true, children: [run(`${n}. ${f.name}`)] }),
    new Paragraph({ spacing: { after: 160 }, children: body }),
  ];
}

/**
 * The site report as a .docx file, and how many findings it lists. `findings` come in level order (reportFindings' order) and
 * are turned into paragraphs as they arrive; the chart is rendered once, from the summary.
 */
export async function buildSiteReport(
  data: ReportHeader,
  findings: AsyncIterable<ReportFinding> | Iterable<ReportFinding>,
  lang: ReportLang,
): Promise<{ file: Buffer; findings: number }> {
  const t = REPORT_TEXTS[lang];
  const open = Object.fromEntries(LEVELS.map((l) => [l, data.counts[l].OPEN])) as Record<(typeof LEVELS)[number], number>;
  const chart = await levelChartPng(open, lang, CHART_TITLES);
  const risk = RISK_LABELS[lang][data.site.riskLevel] ?? data.site.riskLevel;

  const details: Paragraph[] = [new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(t.details)] })];
  let n = 0;
  let level: ReportFinding['level'] | undefined;
  for await (const f of findings) {
    if (f.level !== level) {
      level = f.level;
      details.push(new Paragraph({ heading: HeadingLevel.HEADING_2, keepNext: true, children: [run(`${LEVEL_LABELS[lang][level]} (${data.listed[level]})`)] }));
    }
    for (const p of findingParagraphs(f, ++n, lang, t)) details.push(p);
  }
  if (!n) details.push(new Paragraph({ children: [run(t.noFindings)] }));

  const doc = new Document({
    creator: 'xsc',
    title: `${t.title} - ${xmlSafe(data.site.name)}`,
    // East Asian text is Simplified Chinese: readers pick its glyph variants (not Japanese ones).
    // Latin text stays English, so a reader without Calibri or Consolas substitutes a Latin
    // (and for evidence a monospaced) font, not a CJK one.
    styles: { default: { document: { run: { font: FONT, size: 21, language: { value: 'en-US', eastAsia: 'zh-CN' } } } } },
    sections: [
      {
        children: [
          ...cover(data, t),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(t.summary)] }),
          new Paragraph({ spacing: { after: 120 }, children: [run(t.summaryNote)] }),
          summaryTable(data, lang, t),
          new Paragraph({ spacing: { before: 160 }, children: [run(`${t.score}: `, { bold: true }), run(data.site.securityScore === null ? t.noScore : String(data.site.securityScore))] }),
          field(t.riskLevel, risk),
          ...(data.statsPendingSince ? [new Paragraph({ children: [run(t.statsPending(iso(data.statsPendingSince)))] })] : []),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 240 },
            children: [new ImageRun({ type: 'png', data: chart, transformation: { width: CHART_WIDTH, height: CHART_HEIGHT } })],
          }),
          new Paragraph({ children: [new PageBreak()] }),
          ...details,
        ],
      },
    ],
  });
  return { file: await Packer.toBuffer(doc), findings: n };
}
