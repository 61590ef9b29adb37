import { ScanFormat, ParseError } from './types.js';
import { parseSample, parseText, rejectionsOf, servicesOf } from '../../../test/helpers/scan-samples.js';

// DefectDojo makes one finding per distinct open port. xsc yields one service event per record
// of the file and stores each port once (a repeated record is the port seen again), so the
// stored ports match DefectDojo's count; the event count differs where the scanner repeats itself.
describe('masscan JSON parser', () => {
  it('masscan_many_vuln.json: 4 open ports of one host (DefectDojo 4)', async () => {
    const { events, summary } = await parseSample(ScanFormat.MASSCAN, 'masscan/masscan_many_vuln.json');
    expect(summary).toMatchObject({ services: 4, rejected: 0 });
    expect(servicesOf(events).map((s) => [s.ip, s.port, s.protocol, s.state])).toEqual([
      ['172.29.0.3', 8080, 'tcp', 'open'], ['172.29.0.3', 3000, 'tcp', 'open'], ['172.29.0.3', 8443, 'tcp', 'open'], ['172.29.0.3', 80, 'tcp', 'open'],
    ]);
  });

  it('rejects a record without a valid port, fails on a file that is not a JSON array', async () => {
    const { events } = await parseText(ScanFormat.MASSCAN, '[{"ip":"10.0.0.1","ports":[{"port":0},{"port":22,"proto":"tcp","status":"open","service":{"name":"ssh"}}]}]');
    expect(servicesOf(events)).toEqual([{ scanner: 'masscan', host: '10.0.0.1', ip: '10.0.0.1', port: 22, protocol: 'tcp', state: 'open', service: 'ssh' }]);
    expect(rejectionsOf(events)).toEqual([{ index: 1, reason: 'port of 10.0.0.1 has no valid port number' }]);
    await expect(parseText(ScanFormat.MASSCAN, '{"ip":"10.0.0.1"}')).rejects.toThrow(ParseError);
  });
});

describe('naabu JSONL parser', () => {
  it('naabu_many_vuln.json: 8 lines, 4 distinct ports (DefectDojo 4): each port is listed twice', async () => {
    const { events, summary } = await parseSample(ScanFormat.NAABU, 'naabu/naabu_many_vuln.json');
    expect(summary).toMatchObject({ services: 8, rejected: 0 });
    expect(new Set(servicesOf(events).map((s) => `${s.ip}:${s.port}/${s.protocol}`)).size).toBe(4);
  });

  it('tells naabu lines (numeric port) from Nuclei and httpx lines, which it rejects as a whole file', async () => {
    await expect(parseSample(ScanFormat.NAABU, 'nuclei/issue_14071.json')).rejects.toThrow(/no line of the file is a naabu result/);
    const { events } = await parseText(ScanFormat.NAABU, '{"ip":"10.0.0.1","port":443,"host":"Web.Example","tls":true}\n{"ip":"10.0.0.1","port":70000}\n');
    expect(servicesOf(events)).toEqual([
      { scanner: 'naabu', host: '10.0.0.1', ip: '10.0.0.1', hostname: 'web.example', port: 443, protocol: 'tcp', state: 'open', service: 'ssl' },
    ]);
    expect(rejectionsOf(events)).toEqual([{ index: 2, reason: 'port 70000 is not 1-65535' }]);
  });
});

describe('httpx JSONL parser', () => {
  it('httpx_many_vuln.json: 5 answers (DefectDojo 5), all on port 80 of one address', async () => {
    const { events, summary } = await parseSample(ScanFormat.HTTPX, 'httpx/httpx_many_vuln.json');
    expect(summary).toMatchObject({ services: 5, rejected: 0 });
    const services = servicesOf(events);
    expect(new Set(services.map((s) => `${s.ip}:${s.port}`))).toEqual(new Set(['172.29.0.2:80']));
    expect(services.find((s) => s.web?.url === 'http://172.29.0.2/')).toMatchObject({
      service: 'http', product: 'nginx/1.31.3', web: { statusCode: 200, title: 'generic-app', webserver: 'nginx/1.31.3', tech: ['Nginx:1.31.3'] },
    });
  });

  it('takes the address from `a` for a named host; rejects failed probes and hosts without an address', async () => {
    const lines = [
      '{"url":"https://app.example:8443/","status_code":301,"a":["192.0.2.7"],"title":"App"}',
      '{"url":"https://down.example/","status_code":0,"failed":true}',
      '{"url":"https://noaddr.example/","status_code":200}',
    ].join('\n');
    const { events } = await parseText(ScanFormat.HTTPX, lines);
    expect(servicesOf(events)).toEqual([expect.objectContaining({ ip: '192.0.2.7', hostname: 'app.example', port: 8443, service: 'https' })]);
    expect(rejectionsOf(events).map((r) => r.reason)).toEqual(['httpx could not reach https://down.example/', 'no IP address for noaddr.example']);
  });
});
