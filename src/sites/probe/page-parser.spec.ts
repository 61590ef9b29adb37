import iconv from 'iconv-lite';
import { decodeBody, detectCharset, isHtml, parsePage, relatedHosts } from './page-parser.js';

describe('detectCharset', () => {
  it('prefers the Content-Type charset', () => {
    expect(detectCharset('text/html; charset=GBK', Buffer.from('<meta charset="utf-8">'))).toBe('gb18030');
  });
  it('reads <meta charset> and <meta http-equiv>', () => {
    expect(detectCharset('text/html', Buffer.from('<html><head><meta charset="gb2312">'))).toBe('gb18030');
    expect(detectCharset(undefined, Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=big5">'))).toBe('big5');
  });
  it('puts a BOM before the header and <meta>, falls back to UTF-8, and ignores unknown names', () => {
    expect(detectCharset('text/html; charset=gbk', Buffer.from([0xef, 0xbb, 0xbf, 0x3c]))).toBe('utf-8');
    expect(detectCharset('text/html; charset=utf-8', Buffer.from([0xff, 0xfe, 0x3c, 0x00]))).toBe('utf-16le');
    expect(detectCharset(undefined, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('<meta charset="big5">')]))).toBe('utf-16be');
    expect(detectCharset('text/html; charset=nonsense', Buffer.from('<p>'))).toBe('utf-8');
    expect(detectCharset(undefined, Buffer.from('<html>'))).toBe('utf-8');
  });
});

describe('parsePage', () => {
  it('decodes a GBK page and reads its title', () => {
    const bytes = iconv.encode('<html><head><meta charset="gbk"><title> 北京市 人民政府 </title></head></html>', 'gbk');
    const html = decodeBody(bytes, detectCharset('text/html', bytes));
    expect(parsePage(html, 'http://www.beijing.gov.cn/').title).toBe('北京市 人民政府');
  });

  it('collects link hosts, resolving relative links and skipping other schemes', () => {
    const html = `<a href="https://News.Example.com/a">x</a><a href="/local">y</a><a href="mailto:a@b.c">m</a>
      <a href="javascript:void(0)">j</a><script src="//cdn.example.com/x.js"></script><a href="http://other.org/">o</a>`;
    const page = parsePage(html, 'http://www.example.com/');
    expect(page.title).toBeNull();
    expect(page.linkHosts.sort()).toEqual(['cdn.example.com', 'news.example.com', 'other.org', 'www.example.com']);
  });

  it('keeps only subdomains of the site domain other than the site itself', () => {
    const hosts = ['news.example.com', 'www.example.com', 'example.com', 'example.com.evil.org', 'other.org', 'a.b.example.com'];
    expect(relatedHosts(hosts, 'example.com', 'www.example.com').sort()).toEqual(['a.b.example.com', 'news.example.com']);
  });
});

describe('isHtml', () => {
  it('trusts the content type, sniffing only when there is none', () => {
    expect(isHtml('application/json', Buffer.from('<html>'))).toBe(false);
    expect(isHtml('text/html;charset=utf-8', Buffer.from('{}'))).toBe(true);
    expect(isHtml(undefined, Buffer.from('  <!DOCTYPE html><html>'))).toBe(true);
  });
});
