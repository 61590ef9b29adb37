import ipaddr from 'ipaddr.js';

/** Ranges that are never probed: they reach nothing (unspecified) or many hosts at once. */
const ALWAYS_BLOCKED = new Set(['unspecified', 'broadcast', 'multicast']);

/**
 * Whether the probe may connect to `address`. Only public unicast addresses are allowed, unless
 * `allowPrivate` (PROBE_ALLOW_PRIVATE) also admits private, loopback, link-local and other
 * internal ranges. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function isAllowedAddress(address: string, allowPrivate: boolean): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return false;
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (ALWAYS_BLOCKED.has(range)) return false;
  return range === 'unicast' || allowPrivate;
}
