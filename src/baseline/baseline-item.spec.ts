import { checkSyncItem, type ScriptCheck } from './baseline-item.js';

const checks = new Map<string, ScriptCheck>([['ssh-1', { title: 'No root login', level: 'HIGH', expected: 'no' }]]);

describe('checkSyncItem', () => {
  it('fills title, level and expected from the script check', () => {
    expect(checkSyncItem({ checkId: 'ssh-1', status: 'fail', actual: 'yes' }, checks)).toEqual({
      checkId: 'ssh-1', status: 'FAIL', level: 'HIGH', title: 'No root login', expected: 'no', actual: 'yes',
    });
  });

  it.each([
    [{ status: 'PASS' }, /checkId must be/],
    [{ checkId: 'a b', status: 'PASS' }, /checkId must be/],
    [{ checkId: 'ssh-1', status: 'MAYBE' }, /status must be one of/],
    [{ checkId: 'other', status: 'PASS' }, /level must be one of .* required/],
    [{ checkId: 'ssh-1', status: 'PASS', level: 'SEVERE' }, /level must be one of/],
    [{ checkId: 'ssh-1', status: 'PASS', actual: 5 }, /actual must be a string/],
    [{ checkId: 'ssh-1', status: 'PASS', title: 'x'.repeat(501) }, /title is longer than 500/],
  ])('rejects %j', (raw, reason) => {
    expect(checkSyncItem(raw, checks)).toMatch(reason);
  });
});
