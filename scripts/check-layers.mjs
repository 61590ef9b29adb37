// Checks the dependency graph between the top-level folders of src/ (run by `npm run lint`):
//  - no import cycle between folders (a file-level edge a -> b makes folder A depend on B);
//  - the infrastructure folders import no feature folder;
//  - no folder imports an entry point (the files directly in src/: main, worker, boot, seed...).
// Type-only imports count: they couple folders as much as value imports do.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
/** Lowest first; each may import only the ones before it (and itself). */
const INFRASTRUCTURE = ['generated', 'config', 'db', 'prisma', 'redis', 'common', 'queue', 'metrics', 'graphql'];
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== join(SRC, 'generated')) yield* sourceFiles(path);
    } else if (entry.name.endsWith('.ts')) yield path;
  }
}

/** The top-level folder of a path under src/ ("ingest"), or null for an entry file or a path outside src/. */
function folderOf(path) {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : null;
}

const edges = new Map(); // folder -> Map(folder -> first "file -> import" seen)
const problems = [];
for (const file of sourceFiles(SRC)) {
  const from = folderOf(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const target = resolve(dirname(file), spec);
    const to = folderOf(target);
    if (to === undefined || from === null || to === from) continue; // outside src/, an entry point's import, or within a folder
    const where = `${relative(SRC, file)} imports ${spec}`;
    if (to === null) {
      problems.push(`${where}: only entry points may import an entry point`);
      continue;
    }
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, where);
  }
}

for (const [from, targets] of edges) {
  const level = INFRASTRUCTURE.indexOf(from);
  if (level < 0) continue;
  for (const [to, where] of targets) {
    const toLevel = INFRASTRUCTURE.indexOf(to);
    if (toLevel < 0) problems.push(`${where}: infrastructure (${from}) must not import a feature folder (${to})`);
    else if (toLevel > level) problems.push(`${where}: ${from} is below ${to} in the infrastructure layers (${INFRASTRUCTURE.join(' < ')})`);
  }
}

// Folder cycles: depth-first search, reporting each cycle once by the edges that close it.
const state = new Map(); // folder -> 'open' | 'done'
const stack = [];
function visit(folder) {
  state.set(folder, 'open');
  stack.push(folder);
  for (const [to] of edges.get(folder) ?? []) {
    if (state.get(to) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(to)), to];
      const why = cycle.slice(0, -1).map((f, i) => `  ${edges.get(f).get(cycle[i + 1])}`);
      problems.push(`import cycle between folders ${cycle.join(' -> ')}:\n${why.join('\n')}`);
    } else if (!state.has(to)) visit(to);
  }
  stack.pop();
  state.set(folder, 'done');
}
for (const folder of [...edges.keys()].sort()) if (!state.has(folder)) visit(folder);

if (problems.length) {
  console.error(`check-layers: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-layers: ${edges.size} folders, no cycle, infrastructure imports no feature`);
