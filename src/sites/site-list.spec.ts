import { areaPrefix, siteFilterSql, siteOrder } from './site-list.js';
import { encodeCursor } from '../graphql/pagination.js';

describe('site list SQL', () => {
  it('a province code selects its cities, a city code itself', () => {
    expect(areaPrefix('130000')).toBe('13');
    expect(areaPrefix('130100')).toBe('1301');
    expect(areaPrefix('110101')).toBe('110101');
  });

  it('puts user text in bind parameters only, with LIKE wildcards escaped', () => {
    const sql = siteFilterSql({ text: `50%_off'; DROP TABLE "Site"; --` }, 7);
    expect(sql.sql).not.toContain('DROP');
    const pattern = `%50\\%\\_off'; DROP TABLE "Site"; --%`;
    expect(sql.values).toEqual([7, pattern, pattern]);
  });

  it('without filter or scope matches everything', () => {
    expect(siteFilterSql(undefined, null).sql).toBe('TRUE');
  });

  it('refuses cursors of the wrong shape or type', () => {
    const byName = siteOrder({ field: 'NAME', direction: 'ASC' });
    expect(() => byName.after(encodeCursor([1, 2]))).toThrow('Invalid cursor');
    expect(() => byName.after(encodeCursor([null, 2]))).toThrow('Invalid cursor');
    expect(() => siteOrder({ field: 'LAST_PROBED_AT', direction: 'DESC' }).after(encodeCursor(['yesterday', 1]))).toThrow('Invalid cursor');
    expect(siteOrder({ field: 'SECURITY_SCORE', direction: 'DESC' }).after(encodeCursor([null, 5])).sql).toContain('IS NULL');
  });
});
