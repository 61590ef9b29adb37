import { classifyIdentifier, isValidUsername, normalizePhone, normalizeUsername } from './normalize.js';

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['+44 20 7946 0958', '+442079460958'],
    ['(+1) 415.555.0100', '+14155550100'],
  ])('%s -> %s', (input, expected) => expect(normalizePhone(input)).toBe(expected));

  it.each(['', 'abc', '12345', '2380013800', '1380013800', '+0123456789', '+1234567890123456', "13800138000' OR 1=1"])(
    'rejects %j',
    (input) => expect(normalizePhone(input)).toBeNull(),
  );
});

describe('usernames', () => {
  it('trims and lowercases', () => expect(normalizeUsername('  Alice.Smith ')).toBe('alice.smith'));
  it.each(['alice', 'a_b-c.d', 'Bob42'])('accepts %s', (u) => expect(isValidUsername(u)).toBe(true));
  it.each(['ab', '1alice', '13800138000', 'a b', 'al@ce', 'x'.repeat(33), 'élise'])('rejects %s', (u) =>
    expect(isValidUsername(u)).toBe(false),
  );
});

describe('classifyIdentifier', () => {
  it('tells emails, phones and usernames apart', () => {
    expect(classifyIdentifier(' Alice@Example.COM ')).toEqual({ field: 'email', value: 'alice@example.com' });
    expect(classifyIdentifier('+86 13800138000')).toEqual({ field: 'phone', value: '13800138000' });
    expect(classifyIdentifier('Alice')).toEqual({ field: 'username', value: 'alice' });
  });
});
