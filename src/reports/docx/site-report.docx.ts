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
import type { ReportData, ReportFinding } from '../report-data.js';
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

/** Lines inside one run (fewer document objects than a paragraph per line: 5,000 findings add up). */
const lines = (text: string) =>
  xmlSafe(text)
    .split(/\r\n|\r|\n/)
    .flatMap((line, i) => (i ? [new CarriageReturn(), line] : [line]));

/** A bold label, then multi-line text below it (evidence, descriptions), in one paragraph. */
const section = (label: string, text: string, mono = false) =>
  new Paragraph({
    children: [
      run(`${label}:`, { bold: true }),
      new TextRun({ break: 1, children: lines(text), font: mono ? MONO : undefined, size: mono ? 18 : undefined }),
    ],
  });

/** Several "label: value" lines in one run (each run costs memory: 5,000 findings add up). */
const fields = (pairs: [string, string][]) => new Paragraph({ children: [new TextRun({ children: lines(pairs.map(([l, v]) => `${l}: ${v}`).join('\n')) })] });

const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [run(text, { bold })] })] });

function cover(data: ReportData, t: Texts): Paragraph[] {
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

function summaryTable(data: ReportData, lang: ReportLang, t: Texts): Table {
  const header = new TableRow({
    tableHeader: true,
    children: [cell(t.level, true), ...STATUSES.map((s) => cell(STATUS_LABELS[lang][s], true)), cell(t.total, true)],
  });
  const rows = LEVELS.map((level) => {
    const byStatus = data.counts[level];
    const total = STATUSES.reduce((n, s) => n + byStatus[s], 0);
    return new TableRow({ children: [cell(LEVEL_LABELS[lang][level]), ...STATUSES.map((s) => cell(String(byStatus[s]))), cell(String(total))] });
  });
  const column = (s: (typeof STATUSES)[number]) => LEVELS.reduce((n, l) => n + data.counts[l][s], 0);
  const totals = new TableRow({
    children: [cell(t.total, true), ...STATUSES.map((s) => cell(String(column(s)), true)), cell(String(STATUSES.reduce((n, s) => n + column(s), 0)), true)],
  });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows, totals] });
}

function findingParagraphs(f: ReportFinding, n: number, lang: ReportLang, t: Texts): Paragraph[] {
  const out = [
    new Paragraph({ heading: HeadingLevel.HEADING_3, children: [run(`${n}. ${f.name}`)] }),
    fields([
      [t.level, LEVEL_LABELS[lang][f.level]],
      [t.status, STATUS_LABELS[lang][f.status]],
      [t.url, f.url ?? t.none],
      [t.parameter, f.parameter ?? t.none],
      [t.firstSeen, iso(f.firstSeen)],
      [t.lastSeen, iso(f.lastSeen)],
    ]),
  ];
  if (f.evidence) {
    const cut = f.evidenceLength > f.evidence.length ? `\n${t.truncated(f.evidence.length, f.evidenceLength)}` : '';
    out.push(section(t.evidence, f.evidence + cut, true));
  }
  if (f.description) out.push(section(t.description, f.description));
  if (f.solution) out.push(section(t.solution, f.solution));
  if (f.references.length) out.push(section(t.references, f.references.join('\n')));
  if (f.history.length) {
    const history = f.history.map((h) => {
      const from = h.from ? `${STATUS_LABELS[lang][h.from]} → ` : '';
      return `${iso(h.at)}  ${from}${STATUS_LABELS[lang][h.to]}${h.by ? ` (${h.by})` : ''}: ${h.reason}`;
    });
    out.push(section(t.history, history.join('\n')));
  }
  return out;
}

/** The site report as a .docx file. */
export async function buildSiteReport(data: ReportData, lang: ReportLang): Promise<Buffer> {
  const t = REPORT_TEXTS[lang];
  const open = Object.fromEntries(LEVELS.map((l) => [l, data.counts[l].OPEN])) as Record<(typeof LEVELS)[number], number>;
  const chart = await levelChartPng(open, lang, CHART_TITLES);
  const risk = RISK_LABELS[lang][data.site.riskLevel] ?? data.site.riskLevel;

  const details: Paragraph[] = [new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(t.details)] })];
  if (!data.findings.length) details.push(new Paragraph({ children: [run(t.noFindings)] }));
  let n = 0;
  for (const level of LEVELS) {
    const group = data.findings.filter((f) => f.level === level);
    if (!group.length) continue;
    details.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(`${LEVEL_LABELS[lang][level]} (${group.length})`)] }));
    for (const f of group) details.push(...findingParagraphs(f, ++n, lang, t));
  }

  const doc = new Document({
    creator: 'xsc',
    title: `${t.title} - ${xmlSafe(data.site.name)}`,
    styles: { default: { document: { run: { font: FONT, size: 21 } } } },
    sections: [
      {
        children: [
          ...cover(data, t),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(t.summary)] }),
          new Paragraph({ children: [run(t.summaryNote)] }),
          summaryTable(data, lang, t),
          field(t.score, data.site.securityScore === null ? t.noScore : String(data.site.securityScore)),
          field(t.riskLevel, risk),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new ImageRun({ type: 'png', data: chart, transformation: { width: CHART_WIDTH, height: CHART_HEIGHT } })],
          }),
          new Paragraph({ children: [new PageBreak()] }),
          ...details,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
