import type { PrismaClient } from '../generated/prisma/client.js';
import { normaliseSiteUrl } from './site-url.js';
import type { SiteRepository } from './site.repository.js';

/** Demo sites: a spread of areas, risk levels and kinds, under reserved example domains. */
const DEMO_SITES: { host: string; name: string; areaCode: string; tags: string[] }[] = [
  { host: 'www.gov-portal', name: '政务服务门户', areaCode: '110000', tags: ['政府', '重点'] },
  { host: 'data.gov-portal', name: '政府数据开放平台', areaCode: '110000', tags: ['政府'] },
  { host: 'www.edu-bureau', name: '教育局', areaCode: '310000', tags: ['教育'] },
  { host: 'zsb.university', name: '大学招生网', areaCode: '440100', tags: ['教育', '重点'] },
  { host: 'www.city-hospital', name: '市人民医院', areaCode: '440300', tags: ['医疗'] },
  { host: 'yuyue.city-hospital', name: '预约挂号平台', areaCode: '440300', tags: ['医疗', '重点'] },
  { host: 'www.water-utility', name: '自来水公司', areaCode: '330100', tags: ['公共事业'] },
  { host: 'www.transport', name: '交通运输局', areaCode: '510100', tags: ['政府'] },
  { host: 'news.media-center', name: '融媒体中心', areaCode: '420100', tags: ['媒体'] },
  { host: 'www.tax-service', name: '税务服务', areaCode: '130100', tags: ['政府', '重点'] },
  { host: 'www.library', name: '图书馆', areaCode: '320100', tags: ['教育'] },
  { host: 'mail.gov-portal', name: '政务邮箱', areaCode: '110000', tags: ['政府'] },
];

/**
 * Adds the demo sites and tags to each organisation (idempotent: existing ones are kept).
 * Called by the seed script; returns how many sites were created.
 */
export async function seedSites(repo: SiteRepository, prisma: PrismaClient, orgIds: number[]): Promise<number> {
  let created = 0;
  for (const [index, organizationId] of orgIds.entries()) {
    const rows = DEMO_SITES.map((s) => {
      const url = normaliseSiteUrl(`https://${s.host}-${index + 1}.example.cn`);
      if (!url.ok) throw new Error(`demo site ${s.host}: ${url.error}`);
      return { url: url.value, name: s.name, areaCode: s.areaCode };
    });
    created += (await repo.create(organizationId, rows)).size;
    const tagNames = [...new Set(DEMO_SITES.flatMap((s) => s.tags))];
    await prisma.tag.createMany({ data: tagNames.map((name) => ({ organizationId, name })), skipDuplicates: true });
    const tags = new Map((await prisma.tag.findMany({ where: { organizationId, name: { in: tagNames } } })).map((t) => [t.name, t.id]));
    const sites = new Map(
      (await prisma.site.findMany({ where: { organizationId, url: { in: rows.map((r) => r.url.url) } } })).map((s) => [s.url, s.id]),
    );
    const pairs = DEMO_SITES.flatMap((s, i) => s.tags.map((tag) => ({ siteId: sites.get(rows[i].url.url)!, tagId: tags.get(tag)! })));
    await prisma.siteTag.createMany({ data: pairs, skipDuplicates: true });
  }
  return created;
}
