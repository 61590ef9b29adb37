// URL normalisation for fingerprints: two reports of the same place must give the same string.
//
// Rules (WHATWG URL does the first four):
// - scheme and host lower-cased, IDN hosts in punycode, IPv6 in brackets;
// - default ports dropped (http :80, https :443);
// - dot segments ("." / ".." and their %2e forms) removed;
// - user name, password and fragment dropped (never part of a finding's identity);
// - path percent-encoding normalised: escapes of unreserved characters (A-Z a-z 0-9 - . _ ~)
//   decoded, all other escapes upper-cased ("%c0" -> "%C0");
// - query: only the distinct parameter NAMES are kept, sorted ("?b=2&a=1&a=3" -> "?a&b"),
//   because a finding is about a parameter, not the values a scanner happened to try;
// - trailing slash: the empty path and "/" are the same (origin root); elsewhere "/dir" and
//   "/dir/" stay different, as servers may route them differently (RFC 3986 keeps both);
// - repeated slashes ("//x") are kept for the same reason.
// Only http(s) and ws(s) URLs are normalised; anything else returns undefined.

const WEB_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);
const UNRESERVED = /[A-Za-z0-9\-._~]/;

export function normaliseUrl(input: string | undefined | null): string | undefined {
  const url = parseWebUrl(input);
  if (!url) return undefined;
  return `${url.protocol}//${url.host}${normalisePath(url.pathname)}${sortedQueryKeys(url.search)}`;
}

/** A WHATWG URL when `input` is an absolute http(s)/ws(s) URL with a host, else undefined. */
export function parseWebUrl(input: string | undefined | null): URL | undefined {
  if (!input) return undefined;
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return undefined;
  }
  return WEB_SCHEMES.has(url.protocol) && url.hostname !== '' ? url : undefined;
}

function normalisePath(pathname: string): string {
  const path = pathname.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
  return path === '' ? '/' : path;
}

function sortedQueryKeys(search: string): string {
  if (search.length <= 1) return '';
  const keys = [...new Set(new URLSearchParams(search).keys())].sort();
  return keys.length === 0 ? '' : `?${keys.map(encodeQueryKey).join('&')}`;
}

// encodeURIComponent leaves only unreserved characters and !'()* unescaped: canonical enough,
// and a decoded "a b" and "a+b" query key come out the same.
const encodeQueryKey = (key: string) => encodeURIComponent(key);
