import { sanitizeNewsHtml } from './html-sanitizer.js';

describe('sanitizeNewsHtml', () => {
  it('keeps ordinary formatting, links and images', () => {
    const html = '<h2>Patch now</h2><p>See <a href="https://example.com/advisory" title="advisory">the <strong>advisory</strong></a>.</p>' +
      '<ul><li>one</li></ul><img src="https://cdn.example.com/a.png" alt="chart" width="100" />';
    expect(sanitizeNewsHtml(html)).toBe(html);
  });

  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<p onclick="alert(1)" onmouseover="x()">ok</p>', '<p>ok</p>'],
    ['<img src=x onerror=alert(1)>', '<img src="x" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="java&#x09;script:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="  javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="vbscript:msgbox(1)">x</a>', '<a>x</a>'],
    ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', '<img />'],
    ['<a href="//evil.example/x">x</a>', '<a>x</a>'],
    ['<iframe src="https://evil.example"></iframe><p>ok</p>', '<p>ok</p>'],
    ['<style>body{display:none}</style><p style="background:url(javascript:x)">ok</p>', '<p>ok</p>'],
    ['<svg><script>alert(1)</script></svg><p>ok</p>', '<p>ok</p>'],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>ok', 'ok'],
    ['<object data="x.swf"></object><embed src="x.swf">ok', 'ok'],
    ['<form action="https://evil.example"><input name="pw"></form>ok', 'ok'],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">ok', 'ok'],
    ['<base href="https://evil.example/">ok', 'ok'],
    ['<p class="x" id="y" data-x="1">ok</p>', '<p>ok</p>'],
    ['<scr<script>ipt>alert(1)</script>', 'ipt&gt;alert(1)'],
    ['<!--<script>alert(1)</script>-->ok', 'ok'],
  ])('neutralises %s', (dirty, clean) => {
    const out = sanitizeNewsHtml(dirty);
    expect(out).toBe(clean);
    expect(out).not.toMatch(/<script|javascript:|onerror|onclick|<iframe|<style/i);
  });

  it('adds rel=noopener to links opening a new window and drops other targets', () => {
    expect(sanitizeNewsHtml('<a href="https://a.example" target="_blank" rel="opener">x</a>')).toBe(
      '<a href="https://a.example" target="_blank" rel="noopener noreferrer">x</a>',
    );
    expect(sanitizeNewsHtml('<a href="https://a.example" target="_top">x</a>')).toBe('<a href="https://a.example">x</a>');
  });

  it('escapes text so it cannot become markup', () => {
    expect(sanitizeNewsHtml('<p>1 &lt; 2 &amp;&amp; "quotes"</p>')).toBe('<p>1 &lt; 2 &amp;&amp; "quotes"</p>');
  });
});
