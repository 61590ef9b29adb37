import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import type { Principal } from '../common/auth/principal.js';
import { badInput } from '../common/errors/domain-error.js';
import { AreasService } from './areas/areas.service.js';
import { MAX_BATCH_ROWS, type SiteRowInput } from './inputs/site-batch.input.js';
import type { SiteBatchResult, SiteRowResult } from './models/site-batch.model.js';
import { targetOrganization } from './site-access.js';
import { normaliseSiteUrl } from './site-url.js';
import { SiteRepository, type NewSite } from './site.repository.js';
import { SitesService } from './sites.service.js';

const CHUNK = 5000;
const HEADER_ALIASES: Record<string, keyof SiteRowInput> = {
  url: 'url', site: 'url', 网址: 'url', 地址: 'url',
  name: 'name', 名称: 'name', 网站名称: 'name',
  areacode: 'areaCode', area: 'areaCode', area_code: 'areaCode', 地区: 'areaCode', 区域: 'areaCode',
};

interface ValidRow {
  index: number;
  site: NewSite;
}

/** Batch add of sites: every row gets its own result; valid rows are stored with bulk SQL. */
@Injectable()
export class SiteImportService {
  constructor(
    private readonly repo: SiteRepository,
    private readonly areas: AreasService,
    private readonly sites: SitesService,
  ) {}

  async importCsv(principal: Principal, organizationId: number | undefined, csv: string): Promise<SiteBatchResult> {
    return this.createMany(principal, organizationId, parseSiteCsv(csv));
  }

  async createMany(principal: Principal, requestedOrg: number | undefined, rows: SiteRowInput[]): Promise<SiteBatchResult> {
    const organizationId = targetOrganization(principal, requestedOrg);
    await this.sites.assertOrganizationExists(organizationId);
    const results: SiteRowResult[] = rows.map((_, i) => ({ row: i + 1, status: 'INVALID', siteId: null, error: null }));
    const knownAreas = await this.areas.existing(rows.map((r) => r.areaCode?.trim()).filter((c): c is string => !!c));
    const valid: ValidRow[] = [];
    const firstRowOfUrl = new Map<string, number>();
    rows.forEach((row, index) => {
      const checked = checkRow(row, knownAreas);
      if (typeof checked === 'string') return void (results[index].error = checked);
      const earlier = firstRowOfUrl.get(checked.url.url);
      if (earlier !== undefined) {
        results[index] = { ...results[index], status: 'CONFLICT', error: `Same site as row ${earlier + 1}` };
        return;
      }
      firstRowOfUrl.set(checked.url.url, index);
      valid.push({ index, site: checked });
    });
    for (let i = 0; i < valid.length; i += CHUNK) {
      const chunk = valid.slice(i, i + CHUNK);
      const inserted = await this.repo.create(organizationId, chunk.map((r) => r.site));
      for (const row of chunk) {
        const id = inserted.get(row.site.url.url);
        results[row.index] = id
          ? { row: row.index + 1, status: 'CREATED', siteId: id, error: null }
          : { row: row.index + 1, status: 'CONFLICT', siteId: null, error: 'The site already exists in this organisation' };
      }
    }
    const count = (s: string) => results.filter((r) => r.status === s).length;
    return { created: count('CREATED'), conflicts: count('CONFLICT'), invalid: count('INVALID'), rows: results };
  }
}

/** Validates one row; returns the error message or the values to store. */
function checkRow(row: SiteRowInput, knownAreas: Set<string>): string | NewSite {
  const url = normaliseSiteUrl(row.url ?? '');
  if (!url.ok) return url.error;
  const name = row.name?.trim() || url.value.hostname;
  if (name.length > 200) return 'Name is longer than 200 characters';
  const areaCode = row.areaCode?.trim() || null;
  if (areaCode && !knownAreas.has(areaCode)) return `Unknown area code ${areaCode.slice(0, 20)}`;
  return { url: url.value, name, areaCode };
}

/** CSV with a header row (url, name, areaCode; a few Chinese and short aliases accepted). */
export function parseSiteCsv(csv: string): SiteRowInput[] {
  let records: Record<string, string>[];
  let hasUrl = false;
  try {
    records = parse<Record<string, string>>(csv, {
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? false);
        hasUrl = names.includes('url');
        return names;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      to: MAX_BATCH_ROWS + 1,
    });
  } catch (e) {
    throw badInput(`CSV could not be read: ${(e as Error).message.slice(0, 200)}`, { field: 'csv' });
  }
  if (!hasUrl) throw badInput('CSV needs a header row with a "url" column', { field: 'csv' });
  if (!records.length) throw badInput('CSV has no data rows', { field: 'csv' });
  if (records.length > MAX_BATCH_ROWS) throw badInput(`CSV has more than ${MAX_BATCH_ROWS} rows`, { field: 'csv' });
  return records.map((r) => ({ url: r.url ?? '', name: r.name || undefined, areaCode: r.areaCode || undefined }));
}
