import type { PrismaClient } from '../generated/prisma/client.js';
import { sanitizeNewsHtml } from './html-sanitizer.js';

const CATEGORIES = ['Announcements', 'Security advisories', 'Best practices'];

const ITEMS: { category: string; title: string; summary: string; content: string; published: boolean }[] = [
  {
    category: 'Announcements',
    title: 'Welcome to the monitoring platform',
    summary: 'What the platform watches for you and where to find the results.',
    content:
      '<p>Your websites are now monitored continuously. The <strong>dashboard</strong> shows availability, vulnerabilities and baseline checks per site.</p>' +
      '<ul><li>Vulnerability scans run on a schedule.</li><li>Baseline checks compare servers with hardening guides.</li></ul>',
    published: true,
  },
  {
    category: 'Security advisories',
    title: 'Patch your CMS plugins this week',
    summary: 'Several popular CMS plugins have critical remote code execution flaws.',
    content:
      '<h2>What happened</h2><p>Vendors released fixes for remote code execution flaws in widely used plugins.</p>' +
      '<p>Update every plugin and remove the ones you no longer use. See <a href="https://owasp.org/www-project-top-ten/" target="_blank">OWASP Top 10</a>.</p>',
    published: true,
  },
  {
    category: 'Best practices',
    title: 'Five headers every website should send',
    summary: 'HSTS, CSP, X-Content-Type-Options, Referrer-Policy and Permissions-Policy.',
    content: '<p>Security headers are cheap to add and block whole classes of attacks.</p><ol><li>Strict-Transport-Security</li><li>Content-Security-Policy</li></ol>',
    published: true,
  },
  {
    category: 'Announcements',
    title: 'Upcoming maintenance window (draft)',
    summary: 'Not yet published.',
    content: '<p>The platform will be upgraded next month.</p>',
    published: false,
  },
];

/** Seeds news categories and a few items (one draft). Idempotent: matches by name and title. */
export async function seedNews(prisma: PrismaClient): Promise<void> {
  const ids = new Map<string, number>();
  for (const [position, name] of CATEGORIES.entries()) {
    const row = await prisma.newsCategory.upsert({ where: { name }, update: {}, create: { name, position } });
    ids.set(name, row.id);
  }
  for (const [i, item] of ITEMS.entries()) {
    if (await prisma.news.findFirst({ where: { title: item.title } })) continue;
    await prisma.news.create({
      data: {
        title: item.title,
        summary: item.summary,
        content: sanitizeNewsHtml(item.content),
        categoryId: ids.get(item.category)!,
        published: item.published,
        publishedAt: item.published ? new Date(Date.now() - (ITEMS.length - i) * 86_400_000) : null,
      },
    });
  }
}
