import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('..', import.meta.url));
/** The only files allowed to touch process.env: the boot reader, and the migration runner passing it to the Prisma CLI. */
const ALLOWED = new Set(['config/read-env.ts', 'db/migrate.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('configuration access', () => {
  it('reads process.env only at boot; everything else asks AppConfig', () => {
    const offenders = sources(SRC)
      .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
      .filter((rel) => !ALLOWED.has(rel))
      .filter((rel) => /process\.env\b/.test(readFileSync(path.join(SRC, rel), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));
    expect(offenders).toEqual([]);
  });
});
