// Checks on the raw input, before class-transformer and class-validator walk it: text that cannot
// be stored, and lists over their declared @ArrayMaxSize (checked by length first, so a list of
// 100,000 elements is refused at once instead of being converted and validated element by element).
import type { Type } from '@nestjs/common';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage } from 'class-validator';
import { badInput } from '../errors/domain-error.js';
import { cleanTextMessage, isCleanText } from './clean-text.js';

/** Any list without a declared limit is still refused past this length. */
export const MAX_LIST_LENGTH = 10_000;

/** BAD_USER_INPUT for the first string anywhere in `value` holding NUL or a lone surrogate. */
export function assertCleanStrings(value: unknown, path = 'input', depth = 0): void {
  if (typeof value === 'string') {
    if (!isCleanText(value)) throw badInput(`${path} ${cleanTextMessage}`, { field: path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertCleanStrings(v, `${path}[${i}]`, depth + 1));
  } else if (value && typeof value === 'object' && depth < 32 && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) assertCleanStrings(v, path === 'input' ? k : `${path}.${k}`, depth + 1);
  }
}

function maxSizes(target: Type): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
    if (m.name === 'arrayMaxSize' && m.propertyName) sizes.set(m.propertyName, Number(m.constraints[0]));
  }
  return sizes;
}

/** Compares list lengths with the @ArrayMaxSize of their class (and nested @Type classes) before any conversion. */
export function assertListSizes(value: unknown, target: Type | undefined, path = '', depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 16) return;
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_LENGTH) throw badInput(`${path || 'input'} may hold at most ${MAX_LIST_LENGTH} items`, { field: path });
    for (const v of value) assertListSizes(v, target, path, depth + 1);
    return;
  }
  if (!target) return;
  const sizes = maxSizes(target);
  for (const [key, v] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const max = sizes.get(key);
    if (Array.isArray(v) && max !== undefined && v.length > max) throw badInput(`${field} must contain no more than ${max} elements`, { field });
    const nested = defaultMetadataStorage.findTypeMetadata(target, key)?.typeFunction?.() as Type | undefined;
    assertListSizes(v, nested, field, depth + 1);
  }
}

const SCALARS = new Set<unknown>([String, Number, Boolean, Date]);

/**
 * Explicit null, decided in one place from the input classes' declarations: for an optional input
 * object or list (`users(filter: null)`, `references: null`) it means the same as leaving it out;
 * for a scalar declared `T | null` (emitted as Object) it clears the value; for any other scalar
 * (`updateSite(name: null)`) it is BAD_USER_INPUT.
 */
export function applyNulls(value: unknown, target: Type | undefined, path = '', depth = 0): void {
  if (!value || typeof value !== 'object' || !target || depth > 16) return;
  if (Array.isArray(value)) return value.forEach((v) => applyNulls(v, target, path, depth + 1));
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    const field = path ? `${path}.${key}` : key;
    const declared: unknown = Reflect.getMetadata('design:type', target.prototype, key);
    const typed = defaultMetadataStorage.findTypeMetadata(target, key)?.typeFunction?.() as Type | undefined;
    const nested = typed && !SCALARS.has(typed) ? typed : undefined; // @Type(() => Number) converts a scalar
    if (v !== null) applyNulls(v, nested, field, depth + 1);
    else if (SCALARS.has(declared)) throw badInput(`${field} cannot be null; leave it out to keep it unchanged`, { field });
    else if (declared === Array || nested || (typeof declared === 'function' && declared !== Object)) delete record[key];
  }
}
