import { parse as parseDomain } from 'tldts';
import { isAllowedAddress } from './probe/address-policy.js';
import { hostOf } from './site-url.js';

/**
 * Why the probe will not reach a site, when its address alone tells: an internal IP address
 * (private, loopback, link-local...) or a `.localhost` name while PROBE_ALLOW_PRIVATE is off.
 * The site is kept (a scanner inside the network may still report on it); only the probe skips it.
 */
export function siteAddressWarning(url: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const host = hostOf(url);
  if (host === undefined) return null;
  const hostname = host.replace(/^\[|\]$/g, '');
  const internal = parseDomain(hostname).isIp ? !isAllowedAddress(hostname, false) : /(^|\.)localhost$/.test(hostname);
  if (!internal) return null;
  return `${hostname} is a private or loopback address: the site probe does not connect to it (its result will be BLOCKED_ADDRESS) unless PROBE_ALLOW_PRIVATE is set`;
}
