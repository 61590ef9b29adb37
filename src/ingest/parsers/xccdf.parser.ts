// XCCDF 1.1/1.2 results (OpenSCAP `--results`, also inside an ARF collection): one baseline item
// per <rule-result>. Titles, severities and fixes come from the <Rule> definitions, which
// precede <TestResult> in a benchmark file; they are kept in a bounded map.
import { xccdfLevel } from '../findings/levels.js';
import { rejected, type ParserContext } from './context.js';
import { child, childText, readXml, type XmlNode } from './xml-stream.js';
import { ScanFormat, type BaselineStatus, type ByteSource, type ParseEvent, type ParsedBaselineItem } from './types.js';

const RESULTS: Record<string, BaselineStatus> = {
  pass: 'PASS',
  fixed: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  unknown: 'UNKNOWN',
  notapplicable: 'NOT_APPLICABLE',
  notchecked: 'NOT_CHECKED',
  notselected: 'NOT_SELECTED',
  informational: 'INFO',
};
const MAX_RULES = 100_000;

interface RuleInfo {
  title?: string;
  severity?: string;
  fix?: string;
}

export async function* parseXccdf(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const capture = (name: string, path: readonly string[]) => {
    if (name === 'Rule') return true;
    const inResult = path[path.length - 1] === 'TestResult';
    return inResult && (name === 'rule-result' || name === 'target' || name === 'target-address');
  };
  const rootNames = ['Benchmark', 'TestResult', 'asset-report-collection'];
  const rules = new Map<string, RuleInfo>();
  let benchmark: string | undefined;
  let target: string | undefined;
  let index = 0;
  for await (const event of readXml(source, { format: ScanFormat.XCCDF, rootNames, capture, limits: ctx.reader })) {
    if (event.type === 'open' && event.name === 'Benchmark') benchmark ??= event.attrs.id;
    if (event.type === 'open' && event.name === 'TestResult') target = undefined;
    if (event.type !== 'node') continue;
    const { node } = event;
    if (node.name === 'Rule') rememberRule(rules, node, ctx);
    else if (node.name === 'target' || node.name === 'target-address') target ??= ctx.clip.text('short', node.text, false, 'target');
    else yield resultEvent(node, ++index, { rules, benchmark, target }, ctx);
  }
}

function rememberRule(rules: Map<string, RuleInfo>, rule: XmlNode, ctx: ParserContext): void {
  const id = rule.attrs.id;
  if (!id) return;
  if (rules.size >= MAX_RULES) return ctx.clip.count('rules');
  const { clip } = ctx;
  rules.set(id, {
    title: clip.text('name', childText(rule, 'title'), child(rule, 'title')?.cut, 'title'),
    severity: rule.attrs.severity,
    fix: clip.text('solution', childText(rule, 'fixtext') ?? childText(rule, 'fix'), false, 'remediation'),
  });
}

interface Scope {
  rules: Map<string, RuleInfo>;
  benchmark?: string;
  target?: string;
}

function resultEvent(node: XmlNode, index: number, scope: Scope, ctx: ParserContext): ParseEvent {
  const idref = ctx.clip.text('short', node.attrs.idref);
  if (!idref) return rejected(index, 'rule-result has no idref');
  const result = childText(node, 'result')?.trim().toLowerCase() ?? '';
  const status = RESULTS[result];
  if (!status) return rejected(index, `rule-result ${idref} has an unknown result "${result.slice(0, 20)}"`);
  const rule = scope.rules.get(idref) ?? {};
  const item: ParsedBaselineItem = {
    scanner: 'xccdf',
    checkId: idref,
    title: rule.title ?? idref,
    status,
    passed: status === 'PASS',
    level: xccdfLevel(node.attrs.severity ?? rule.severity),
    section: ctx.clip.text('short', scope.benchmark, false, 'section'),
    target: scope.target,
    remediation: ctx.clip.text('solution', childText(node, 'fix'), false, 'remediation') ?? rule.fix,
  };
  return { type: 'baseline', record: item };
}
