import { loadAreaRows } from './area-data.js';

describe('loadAreaRows', () => {
  const rows = loadAreaRows();

  it('has every province-level division and their cities, with unique codes', () => {
    const provinces = rows.filter((r) => r.level === 'PROVINCE');
    expect(provinces.length).toBeGreaterThanOrEqual(34);
    expect(rows.filter((r) => r.level === 'CITY').length).toBeGreaterThan(300);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    expect(rows).toContainEqual({ code: '110000', name: '北京市', level: 'PROVINCE', parentCode: null });
    expect(rows).toContainEqual({ code: '130100', name: '石家庄市', level: 'CITY', parentCode: '130000' });
  });

  it('lists parents before children and every parent exists', () => {
    const seen = new Set<string>();
    for (const r of rows) {
      if (r.parentCode) expect(seen.has(r.parentCode)).toBe(true);
      seen.add(r.code);
    }
  });
});
