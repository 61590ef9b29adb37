import { checkFlow } from './flow-record.js';

const now = Date.parse('2026-12-04T12:00:00Z');
const window = { now, oldest: now - 30 * 86_400_000 };
const own = {
  start: '2026-12-04T10:00:00Z', end: '2026-12-04T10:00:05Z',
  srcAddr: '198.51.100.7', srcPort: 50000, dstAddr: '192.0.2.10', dstPort: 443,
  protocol: 6, bytes: 1200, packets: 8, action: 'DENY',
};
const reason = (patch: Record<string, unknown>) => checkFlow({ ...own, ...patch }, window).reason;

describe('checkFlow', () => {
  it('accepts xsc names and normalises them', () => {
    expect(checkFlow(own, window).row).toEqual({
      start: Date.parse('2026-12-04T10:00:00Z'), end: Date.parse('2026-12-04T10:00:05Z'),
      srcAddr: '198.51.100.7', srcPort: 50000, dstAddr: '192.0.2.10', dstPort: 443, protocol: 6, bytes: 1200, packets: 8, action: 'DENY',
    });
  });

  it('accepts GoFlow2 JSON names (ns times, protocol names, forwarding_status)', () => {
    const g = {
      type: 'IPFIX', time_received_ns: 1796378400000000000, sampler_address: '203.0.113.1',
      time_flow_start_ns: 1796378400000000000, time_flow_end_ns: '1796378401000000000',
      bytes: 143, packets: 1, src_addr: '2001:DB8::0:1', dst_addr: '192.0.2.10', etype: 'IPv6', proto: 'UDP',
      src_port: 53, dst_port: 55743, forwarding_status: 130,
    };
    expect(checkFlow(g, window).row).toEqual({
      start: 1796378400000, end: 1796378401000, srcAddr: '2001:db8::1', srcPort: 53, dstAddr: '192.0.2.10', dstPort: 55743,
      protocol: 17, bytes: 143, packets: 1, action: 'DENY',
    });
    expect(checkFlow({ ...g, forwarding_status: 64 }, window).row?.action).toBe('ALLOW');
    expect(checkFlow({ ...g, forwarding_status: undefined }, window).row?.action).toBe('ALLOW');
  });

  it('gives a reason for each kind of bad record', () => {
    expect(checkFlow('x', window).reason).toBe('a record must be a JSON object');
    expect(reason({ srcAddr: '300.1.1.1' })).toBe('srcAddr is not an IPv4 or IPv6 address');
    expect(reason({ dstAddr: '010.1.1.1' })).toBe('dstAddr is not an IPv4 or IPv6 address');
    expect(reason({ dstAddr: undefined })).toBe('dstAddr is required');
    expect(reason({ srcPort: 65536 })).toBe('srcPort must be an integer 0-65535');
    expect(reason({ dstPort: -1 })).toBe('dstPort must be an integer 0-65535');
    expect(reason({ dstPort: 1.5 })).toBe('dstPort must be an integer 0-65535');
    expect(reason({ protocol: 256 })).toMatch(/^protocol must be 0-255/);
    expect(reason({ protocol: 'XYZ' })).toMatch(/^protocol must be 0-255/);
    expect(reason({ bytes: -5 })).toBe('bytes must be a non-negative integer');
    expect(reason({ packets: '3' })).toBe('packets must be a non-negative integer');
    expect(reason({ start: '2026-12-04T11:00:00Z' })).toBe('start is after end');
    expect(reason({ start: 'yesterday' })).toBe('start is not a valid time');
    expect(reason({ end: undefined })).toBe('end is required');
    expect(reason({ end: '2026-12-05T12:00:00Z' })).toBe('end is in the future');
    expect(reason({ start: '2026-10-01T00:00:00Z' })).toMatch(/^start is older than the retention window/);
    expect(reason({ action: 'MAYBE' })).toBe('action must be ALLOW or DENY');
  });

  it('takes epoch milliseconds and a little clock skew', () => {
    expect(checkFlow({ ...own, start: now, end: now + 30 * 60_000 }, window).row?.end).toBe(now + 30 * 60_000);
    expect(checkFlow({ ...own, start: now - 1000.7, end: now + 0.5 }, window).row).toMatchObject({ start: now - 1001, end: now });
  });
});
