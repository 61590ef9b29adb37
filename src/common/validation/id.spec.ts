import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsId, MAX_ID, ParseIdPipe } from './id.js';

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();

  it.each([
    ['1', 1],
    ['42', 42],
    [String(MAX_ID), MAX_ID],
    [7, 7],
  ])('accepts %j', (value, id) => expect(pipe.transform(value)).toBe(id));

  it.each(['0', '-1', 'abc', '1.5', '1e3', ' 1', '', String(MAX_ID + 1), '99999999999999999999', 0, 2.5, null, undefined])(
    'refuses %j as BAD_USER_INPUT',
    (value) => {
      expect(() => pipe.transform(value)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'id' } }));
    },
  );
});

describe('IsId', () => {
  class Input {
    @IsId()
    id: number;
  }
  const check = (id: unknown) => {
    const input = plainToInstance(Input, { id });
    return { id: input.id, errors: validateSync(input).length };
  };

  it('converts a numeric ID string', () => expect(check('12')).toEqual({ id: 12, errors: 0 }));
  it.each(['0', 'abc', String(MAX_ID + 1), '1.5'])('refuses %j', (id) => expect(check(id).errors).toBe(1));
});
