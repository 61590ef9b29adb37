import { inertCell } from './csv-cells.js';

describe('inertCell (CSV injection defence)', () => {
  it.each(['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralises %j', (cell) => {
    expect(inertCell(cell)).toBe(`'${cell}`);
  });
  it.each(['SQL 注入', 'a=b', ' =1', '', "'quoted"])('leaves %j alone', (cell) => {
    expect(inertCell(cell)).toBe(cell);
  });
});
