import { createHash } from 'node:crypto';
import { corsOrigins, inlineScriptHashes } from './http-security.js';

describe('corsOrigins', () => {
  it('splits the list, trims blanks and trailing slashes; empty means none', () => {
    expect(corsOrigins('')).toEqual([]);
    expect(corsOrigins(' https://a.example.com/ , http://b.example.com:8080')).toEqual(['https://a.example.com', 'http://b.example.com:8080']);
  });
});

describe('inlineScriptHashes', () => {
  it("gives the CSP source of each inline script, not of external ones", () => {
    const body = '\n  const x = 1;\n';
    const html = `<script src="/a.js"></script><script>${body}</script>`;
    expect(inlineScriptHashes(html)).toEqual([`'sha256-${createHash('sha256').update(body).digest('base64')}'`]);
  });
});
