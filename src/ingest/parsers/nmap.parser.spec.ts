import { ScanFormat, ParseError } from './types.js';
import { countBy, distinctFingerprints, findingsOf, parseSample, parseText, rejectionsOf, servicesOf } from '../../../test/helpers/scan-samples.js';
import type { ParseEvent } from './types.js';

const hostsOf = (events: ParseEvent[]) => events.flatMap((e) => (e.type === 'host' ? [e.record] : []));
const coverageOf = (events: ParseEvent[]) => events.flatMap((e) => (e.type === 'coverage' ? [e.record] : []));

// DefectDojo makes one finding per open port plus one per vulners entry. xsc yields the ports as
// services (assets) and the vulners entries as findings, so services + findings = DefectDojo.
describe('Nmap XML parser on the real samples', () => {
  it('nmap_0port.xml: a host without open ports (DefectDojo 0), and the 1000 ports probed', async () => {
    const { events } = await parseSample(ScanFormat.NMAP, 'nmap/nmap_0port.xml');
    expect(servicesOf(events)).toEqual([]);
    expect(hostsOf(events)).toHaveLength(1);
    const [coverage] = coverageOf(events);
    expect(coverage.protocol).toBe('tcp');
    expect(coverage.ranges.reduce((n, [lo, hi]) => n + hi - lo + 1, 0)).toBe(1000);
    expect(coverage.ranges.slice(0, 3)).toEqual([[1, 1], [3, 4], [6, 7]]);
  });

  it('nmap_1port.xml: 1 open port (DefectDojo 1)', async () => {
    const { events } = await parseSample(ScanFormat.NMAP, 'nmap/nmap_1port.xml');
    expect(servicesOf(events)).toHaveLength(1);
    expect(findingsOf(events)).toHaveLength(0);
    expect(servicesOf(events)[0]).toMatchObject({ scanner: 'nmap', protocol: 'tcp', state: 'open' });
  });

  it('nmap_multiple_port.xml: 13 open ports (DefectDojo 13) with host names', async () => {
    const { events } = await parseSample(ScanFormat.NMAP, 'nmap/nmap_multiple_port.xml');
    const services = servicesOf(events);
    expect(services).toHaveLength(13);
    expect(countBy(services, (s) => s.state)).toEqual({ open: 13 });
    expect(services[0]).toMatchObject({ host: '198.38.82.159', ip: '198.38.82.159', hostname: 'joaquinlp.me' });
    expect(new Set(services.map((s) => s.port)).size).toBe(13);
  });

  it('nmap_script_vulners.xml: 1 port + 2 CVEs from vulners (DefectDojo 3)', async () => {
    const { events } = await parseSample(ScanFormat.NMAP, 'nmap/nmap_script_vulners.xml');
    expect(servicesOf(events)).toEqual([
      { scanner: 'nmap', host: '192.168.0.1', ip: '192.168.0.1', hostname: undefined, os: undefined, port: 5022, protocol: 'tcp', state: 'open', service: 'ssh', product: 'OpenSSH', version: '7.4', extraInfo: 'protocol 2.0', cpes: ['cpe:/a:openbsd:openssh:7.4'] },
    ]);
    expect(findingsOf(events)).toEqual([
      expect.objectContaining({ checkId: 'CVE-2018-15919', cve: ['CVE-2018-15919'], level: 'MEDIUM', host: '192.168.0.1', port: 5022, parameter: 'cpe:/a:openbsd:openssh:7.4', references: ['https://vulners.com/cve/CVE-2018-15919'] }),
      expect.objectContaining({ checkId: 'CVE-2017-15906', level: 'MEDIUM' }),
    ]);
  });

  it('issue4406.xml: 25 open ports + 42 vulners entries = 67 (DefectDojo 67)', async () => {
    const { events, summary } = await parseSample(ScanFormat.NMAP, 'nmap/issue4406.xml');
    expect(summary).toMatchObject({ services: 25, findings: 42, rejected: 0 });
    const findings = findingsOf(events);
    expect(countBy(findings, (f) => f.kind ?? '')).toEqual({ metasploit: 20, exploitpack: 4, exploitdb: 4, cve: 8, canvas: 1, packetstorm: 2, zdt: 3 });
    expect(findings.filter((f) => f.cve.length > 0)).toHaveLength(8);
    expect(distinctFingerprints(findings)).toBe(42);
    expect(servicesOf(events)[0].hostname).toBe('ip-10-250-195-71.eu-west-1.compute.internal');
    expect(coverageOf(events)).toEqual([{ scanner: 'nmap', protocol: 'tcp', ranges: [[1, 65535]] }]);
  });
});

const host = (inner: string, status = 'up') =>
  `<host><status state="${status}"/><address addr="10.0.0.5" addrtype="ipv4"/><address addr="00:11:22:33:44:55" addrtype="mac"/><hostnames><hostname name="ptr.example" type="PTR"/><hostname name="web.example" type="user"/></hostnames><ports>${inner}</ports><os><osmatch name="Linux 4.x" accuracy="90"/><osmatch name="Linux 5.x" accuracy="98"><osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="5.X" accuracy="98"/></osmatch></os></host>`;
const port = (id: string, state = 'open') => `<port protocol="tcp" portid="${id}"><state state="${state}"/><service name="http" product="nginx" version="1.25"/></port>`;
const run = (hosts: string) => `<?xml version="1.0"?><!DOCTYPE nmaprun><nmaprun scanner="nmap">${hosts}</nmaprun>`;

describe('Nmap parser details and malformed input', () => {
  it('takes the user-given host name and the most accurate OS match (which follows the ports)', async () => {
    const { events } = await parseText(ScanFormat.NMAP, run(host(port('80') + port('81', 'filtered'))));
    expect(servicesOf(events).map((s) => [s.port, s.state, s.hostname, s.os])).toEqual([
      [80, 'open', 'web.example', 'Linux 5.x'],
      [81, 'filtered', 'web.example', 'Linux 5.x'],
    ]);
  });

  it('reports the host (all names, OS family and accuracy) before its ports', async () => {
    const { events } = await parseText(ScanFormat.NMAP, run(host(port('80'))));
    expect(events.map((e) => e.type)).toEqual(['host', 'service']);
    expect(hostsOf(events)).toEqual([
      { scanner: 'nmap', ip: '10.0.0.5', hostnames: ['web.example', 'ptr.example'], up: true, os: { name: 'Linux 5.x', family: 'Linux', accuracy: 98 } },
    ]);
  });

  it('reports hosts that are down without their ports and rejects ports without a valid number', async () => {
    const { events } = await parseText(ScanFormat.NMAP, run(host(port('80'), 'down') + host(port('99999') + port('22'))));
    expect(hostsOf(events).map((h) => h.up)).toEqual([false, true]);
    expect(servicesOf(events).map((s) => s.port)).toEqual([22]);
    expect(rejectionsOf(events)).toEqual([{ index: 1, reason: 'port of 10.0.0.5 has no valid portid/protocol' }]);
  });

  it.each([
    ['a ZAP report', '<OWASPZAPReport/>', /expected <nmaprun>/],
    ['greppable nmap output', '# Nmap 7.94 scan\nHost: 10.0.0.1 ()\tStatus: Up', /malformed XML/],
    ['a truncated file', run(host(port('80'))).slice(0, 150), /malformed XML: unclosed tag/],
  ])('fails on %s with a ParseError', async (_what, input, reason) => {
    const r = parseText(ScanFormat.NMAP, input);
    await expect(r).rejects.toThrow(ParseError);
    await expect(r).rejects.toThrow(reason);
  });
});
