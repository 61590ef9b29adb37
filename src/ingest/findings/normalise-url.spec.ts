import { normaliseUrl } from './normalise-url.js';

describe('normaliseUrl', () => {
  it.each([
    ['lower-cases scheme and host', 'HTTPS://Example.COM/Path', 'https://example.com/Path'],
    ['drops default ports', 'http://a.example:80/x', 'http://a.example/x'],
    ['drops the https default port', 'https://a.example:443/', 'https://a.example/'],
    ['keeps other ports', 'https://a.example:8443/', 'https://a.example:8443/'],
    ['gives the root path to a bare origin', 'https://a.example', 'https://a.example/'],
    ['removes dot segments', 'https://a.example/a/./b/../c', 'https://a.example/a/c'],
    ['removes encoded dot segments', 'https://a.example/a/%2e%2E/c', 'https://a.example/c'],
    ['decodes escaped unreserved characters', 'https://a.example/%7Euser/%41bc', 'https://a.example/~user/Abc'],
    ['upper-cases other escapes', 'https://a.example/favicon.ico%c0', 'https://a.example/favicon.ico%C0'],
    ['encodes raw spaces and non-ASCII the same as escapes', 'https://a.example/a b/é', 'https://a.example/a%20b/%C3%A9'],
    ['drops the fragment', 'https://a.example/p#section', 'https://a.example/p'],
    ['drops credentials', 'https://user:secret@a.example/p', 'https://a.example/p'],
    ['keeps sorted distinct query keys, drops values', 'https://a.example/s?b=2&a=1&a=3&c', 'https://a.example/s?a&b&c'],
    ['treats + and %20 in keys alike', 'https://a.example/s?x+y=1&x%20y=2', 'https://a.example/s?x%20y'],
    ['drops an empty query', 'https://a.example/s?', 'https://a.example/s'],
    ['keeps a trailing slash on a non-root path', 'https://a.example/dir/', 'https://a.example/dir/'],
    ['keeps repeated slashes', 'http://dvwa_dvwa_1//phpinfo.php', 'http://dvwa_dvwa_1//phpinfo.php'],
    ['converts IDN hosts to punycode', 'https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ['normalises IPv6 hosts', 'http://[0:0:0:0:0:0:0:1]:8080/', 'http://[::1]:8080/'],
    ['trims surrounding whitespace', '  https://a.example/x \n', 'https://a.example/x'],
  ])('%s', (_rule, input, expected) => {
    expect(normaliseUrl(input)).toBe(expected);
  });

  it('keeps /dir and /dir/ apart (documented trailing-slash rule)', () => {
    expect(normaliseUrl('https://a.example/dir')).not.toBe(normaliseUrl('https://a.example/dir/'));
  });

  it.each([[''], ['not a url'], ['nuclei-example.com:22'], ['mailto:a@b.example'], ['file:///etc/passwd'], ['/relative/path'], [null], [undefined]])(
    'returns undefined for %p',
    (input) => {
      expect(normaliseUrl(input)).toBeUndefined();
    },
  );
});
