import { FROM_PARSED, levelWeightSql, scoreOf, summarise } from './baseline-score.js';

describe('baseline score', () => {
  it('weights passes by level and leaves NOT_APPLICABLE and MANUAL out', () => {
    const s = summarise([
      { status: 'PASS', level: 'HIGH' }, // 4
      { status: 'PASS', level: 'LOW' }, // 1
      { status: 'FAIL', level: 'CRITICAL' }, // 8
      { status: 'ERROR', level: 'MEDIUM' }, // 2
      { status: 'NOT_APPLICABLE', level: 'CRITICAL' },
      { status: 'MANUAL', level: 'HIGH' },
      { status: 'PASS', level: 'INFO' }, // 0
    ]);
    expect(s).toEqual({ passCount: 3, failCount: 1, errorCount: 1, naCount: 1, manualCount: 1, passWeight: 5, scoredWeight: 15, score: 33.33 });
  });

  it('differs from Wazuh pass/(pass+fail): one critical failure among low passes weighs', () => {
    const items = [...Array(9).fill({ status: 'PASS', level: 'LOW' }), { status: 'FAIL', level: 'CRITICAL' }];
    expect(summarise(items).score).toBe(52.94); // 9 / 17; Wazuh would say 90%
  });

  it('is null when nothing was scored, 100 when all scored items pass', () => {
    expect(summarise([{ status: 'MANUAL', level: 'HIGH' }]).score).toBeNull();
    expect(summarise([]).score).toBeNull();
    expect(scoreOf(3, 3)).toBe(100);
    expect(scoreOf(0, 3)).toBe(0);
  });

  it('maps every scanner status and writes the weights into SQL', () => {
    expect(FROM_PARSED.WARN).toBe('MANUAL');
    expect(FROM_PARSED.NOT_SELECTED).toBe('NOT_APPLICABLE');
    expect(FROM_PARSED.UNKNOWN).toBe('ERROR');
    expect(levelWeightSql('i.level')).toBe("(CASE i.level WHEN 'CRITICAL' THEN 8 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 1 WHEN 'INFO' THEN 0 ELSE 0 END)");
  });
});
