// A synthetic ZAP XML report of about `targetBytes`, made of the real first-scan sample's alert
// items: one <site> per host and round, each alert instance's URI moved to that host and round.
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { SCANS_DIR } from './scans-dir.js';

/** Writes the report; returns how many alert instances it holds. */
export async function writeZapReport(file: string, targetBytes: number, hosts: string[]): Promise<number> {
  const sample = readFileSync(path.join(SCANS_DIR, 'zap/zap-results-first-scan.xml'), 'utf8');
  const items = sample.match(/<alertitem>[\s\S]*?<\/alertitem>/g) ?? [];
  const instancesPerSite = (sample.match(/<instance>/g) ?? []).length;
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('<?xml version="1.0"?><OWASPZAPReport version="2.10.0" generated="bench">\n');
  let sites = 0;
  for (; out.bytesWritten + out.writableLength < targetBytes; sites++) {
    const host = hosts[sites % hosts.length];
    const round = Math.floor(sites / hosts.length);
    await write(`<site name="https://${host}" host="${host}" port="443" ssl="true"><alerts>\n`);
    for (const item of items) await write(item.replace(/<uri>https?:\/\/[^/<]+/g, `<uri>https://${host}/r${round}`) + '\n');
    await write('</alerts></site>\n');
  }
  await write('</OWASPZAPReport>\n');
  out.end();
  await once(out, 'finish');
  return sites * instancesPerSite;
}
