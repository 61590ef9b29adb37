import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IdField, OptionalIdField, OptionalTextField, TextField } from './fields.js';

class Sample {
  @IdField() id: number;
  @OptionalIdField() parentId?: number | null;
  @TextField(5) name: string;
  @TextField(5, { allowEmpty: true }) body: string;
  @OptionalTextField(5) note?: string | null;
  @OptionalTextField(5, { allowEmpty: false }) title?: string;
}

/** The failed constraints per property, after the same transform the ValidationPipe does. */
function problems(plain: Record<string, unknown>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(Sample, plain), { whitelist: true, forbidNonWhitelisted: true });
  return Object.fromEntries(errors.map((e) => [e.property, Object.keys(e.constraints ?? {})]));
}

const valid = { id: '7', name: 'abc', body: '' };

describe('composite validation decorators', () => {
  it('accepts a valid object and turns ID strings into numbers', () => {
    expect(problems(valid)).toEqual({});
    expect(plainToInstance(Sample, { ...valid, parentId: '3' })).toMatchObject({ id: 7, parentId: 3 });
    expect(problems({ ...valid, parentId: null, note: null, title: 'x' })).toEqual({});
    expect(problems({ ...valid, note: '' })).toEqual({});
  });

  it('rejects missing required fields', () => {
    expect(problems({ body: '' })).toEqual({
      id: expect.arrayContaining(['isInt', 'min']),
      name: expect.arrayContaining(['isString', 'isNotEmpty']),
    });
  });

  it('rejects non-numeric, fractional and non-positive ids', () => {
    expect(problems({ ...valid, id: 'abc' }).id).toContain('isInt');
    expect(problems({ ...valid, id: '1.5' }).id).toContain('isInt');
    expect(problems({ ...valid, id: '0' }).id).toEqual(['min']);
    expect(problems({ ...valid, parentId: 'x' }).parentId).toContain('isInt');
  });

  it('rejects over-long and empty strings', () => {
    expect(problems({ ...valid, name: 'abcdef' }).name).toEqual(['maxLength']);
    expect(problems({ ...valid, name: '' }).name).toEqual(['isNotEmpty']);
    expect(problems({ ...valid, note: 'abcdef' }).note).toEqual(['maxLength']);
    expect(problems({ ...valid, title: '' }).title).toEqual(['isNotEmpty']);
    expect(problems({ ...valid, name: 42 }).name).toContain('isString');
  });
});
