// kube-bench `--json` output: one baseline item per check result, passed or not. The file is
// `{"Controls": [...]}` (0.6+), a bare array of controls (older, per target), or one control.
import { kubeBenchLevel } from '../findings/levels.js';
import { isObject, rejected, str, strList, type ParserContext } from './context.js';
import { readJson, type JsonPath } from './json-stream.js';
import { sniff } from './source.js';
import { ParseError, ScanFormat, type BaselineStatus, type ByteSource, type ParseEvent, type ParsedBaselineItem } from './types.js';

const STATUSES: Record<string, BaselineStatus> = { PASS: 'PASS', FAIL: 'FAIL', WARN: 'WARN', INFO: 'INFO' };
const CONTROL_FIELDS = new Set(['id', 'text', 'node_type']);

/** Where the controls' "tests" groups sit: Controls.N.tests.M, N.tests.M or tests.M. */
function testsGroupIndex(path: JsonPath): { control: string; group: number } | undefined {
  const n = path.length;
  if (n < 2 || path[n - 2] !== 'tests' || typeof path[n - 1] !== 'number') return undefined;
  const prefix = path.slice(0, n - 2);
  if (prefix.length === 0 || (prefix.length === 1 && typeof prefix[0] === 'number') || (prefix.length === 2 && prefix[0] === 'Controls')) {
    return { control: prefix.join('.'), group: path[n - 1] as number };
  }
  return undefined;
}

const controlField = (path: JsonPath) => {
  const key = path[path.length - 1];
  return typeof key === 'string' && CONTROL_FIELDS.has(key) && testsGroupIndex([...path.slice(0, -1), 'tests', 0]) !== undefined;
};

export async function* parseKubeBench(source: ByteSource, ctx: ParserContext): AsyncGenerator<ParseEvent> {
  const { first, source: bytes } = await sniff(source);
  if (first !== '{' && first !== '[') throw new ParseError(ScanFormat.KUBE_BENCH, first === undefined ? 'the file is empty' : 'the file is not a JSON object or array');
  const controls = new Map<string, Record<string, string>>();
  const select = (path: JsonPath) => testsGroupIndex(path) !== undefined || controlField(path);
  let groups = 0;
  let index = 0;
  for await (const item of readJson(bytes, { format: ScanFormat.KUBE_BENCH, select, limits: ctx.reader })) {
    const group = testsGroupIndex(item.path);
    if (!group) {
      const key = item.path.slice(0, -1).join('.');
      controls.set(key, { ...controls.get(key), [String(item.path[item.path.length - 1])]: str(item.value) ?? '' });
      continue;
    }
    groups++;
    if (item.oversize) {
      yield rejected(++index, `test group is larger than ${ctx.reader.maxRecordChars} characters`);
      continue;
    }
    if (item.cut) ctx.clip.count('json-string');
    yield* groupEvents(item.value, controls.get(group.control) ?? {}, ctx, () => ++index);
  }
  if (groups === 0) throw new ParseError(ScanFormat.KUBE_BENCH, 'no kube-bench controls with "tests" found');
}

function* groupEvents(group: unknown, control: Record<string, string>, ctx: ParserContext, next: () => number): Generator<ParseEvent> {
  const results = isObject(group) && Array.isArray(group.results) ? group.results : undefined;
  if (!results) return yield rejected(next(), 'test group has no "results" list');
  const section = ctx.clip.text('short', [str((group as Record<string, unknown>).section), str((group as Record<string, unknown>).desc)].filter(Boolean).join(' '), false, 'section');
  for (const result of results) {
    const index = next();
    const item = isObject(result) ? toItem(result, section, control, ctx) : 'result is not an object';
    yield typeof item === 'string' ? rejected(index, item) : { type: 'baseline', record: item };
  }
}

function toItem(r: Record<string, unknown>, section: string | undefined, control: Record<string, string>, ctx: ParserContext): ParsedBaselineItem | string {
  const { clip } = ctx;
  const checkId = clip.text('short', str(r.test_number));
  if (!checkId) return 'result has no test_number';
  const status = STATUSES[String(r.status ?? '').toUpperCase()];
  if (!status) return `result ${checkId} has an unknown status "${String(r.status ?? '').slice(0, 20)}"`;
  return {
    scanner: 'kube-bench',
    checkId,
    title: clip.text('name', str(r.test_desc)) ?? checkId,
    status,
    passed: status === 'PASS',
    level: kubeBenchLevel(r.scored),
    section,
    target: clip.text('short', control.node_type, false, 'target'),
    expected: clip.text('evidence', str(r.expected_result), false, 'expected'),
    actual: clip.text('evidence', str(r.actual_value), false, 'actual'),
    remediation: clip.text('solution', str(r.remediation) ?? strList(r.test_info).join('\n'), false, 'remediation'),
  };
}
