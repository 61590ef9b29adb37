import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { generate } from 'selfsigned';

export interface ProbeServers {
  http: string;
  https: string;
  silent: string;
  closed: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>
  Example   Portal </title></head><body>
  <a href="https://news.example.com/today">news</a> <a href="/local">local</a>
  <script src="//static.example.com/app.js"></script> <a href="http://elsewhere.org/">x</a>
  <a href="mailto:boss@example.com">mail</a></body></html>`;

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const n = Number(url.searchParams.get('n') ?? 0);
  res.setHeader('server', 'xsc-test/1.0');
  switch (url.pathname) {
    case '/':
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(PAGE);
      return;
    case '/ua':
      res.setHeader('content-type', 'text/html');
      res.end(`<title>${req.headers['user-agent']}</title>`);
      return;
    case '/gbk':
      res.setHeader('content-type', 'text/html');
      res.end(iconv.encode('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>北京市人民政府门户网站</title></head></html>', 'gbk'));
      return;
    case '/gbk-header':
      res.setHeader('content-type', 'text/html; charset=GBK');
      res.end(iconv.encode('<title>广东省教育厅</title>', 'gbk'));
      return;
    case '/bom-utf8': // the BOM wins over the header's charset
      res.setHeader('content-type', 'text/html; charset=gbk');
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<title>北京 UTF-8</title>')]));
      return;
    case '/bom-utf16':
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(iconv.encode('<title>北京 UTF-16</title>', 'utf-16le', { addBOM: true }));
      return;
    case '/gzip':
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-encoding', 'gzip');
      res.end(zlib.gzipSync('<title>compressed</title>'));
      return;
    case '/redirect': // n more hops, then the page; alternating relative and absolute Location headers
      res.statusCode = n % 2 ? 301 : 302;
      res.setHeader('location', n > 0 ? (n % 2 ? `/redirect?n=${n - 1}` : `http://${req.headers.host}/redirect?n=${n - 1}`) : '/');
      res.end();
      return;
    case '/loop':
      res.statusCode = 302;
      res.setHeader('location', '/loop');
      res.end();
      return;
    case '/missing':
      res.statusCode = 404;
      res.setHeader('content-type', 'text/html');
      res.end('<title>Not Found</title>');
      return;
    case '/broken':
      res.statusCode = 500;
      res.end('oops');
      return;
    case '/json':
      res.setHeader('content-type', 'application/json');
      res.end('{"title":"<title>not a page</title>"}');
      return;
    case '/huge': {
      // An endless body: the probe must stop reading at its cap.
      res.setHeader('content-type', 'text/html');
      res.write('<html><head><title>Huge</title></head><body>');
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
      return;
    }
    default:
      res.statusCode = 404;
      res.end();
  }
}

const listen = (server: net.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** Local servers for every probe outcome: HTTP routes, a self-signed HTTPS server, one that never answers, a closed port. */
export async function startProbeServers(): Promise<ProbeServers> {
  const sockets = new Set<net.Socket>();
  const track = (server: net.Server) => server.on('connection', (s: net.Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  const plain = http.createServer(route);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 });
  const secure = https.createServer({ key: pems.private, cert: pems.cert }, route);
  const silent = net.createServer(() => undefined); // accepts connections, never says a word
  [plain, secure, silent].forEach(track);
  const ports = await Promise.all([listen(plain), listen(secure), listen(silent)]);
  const closedServer = net.createServer();
  const closedPort = await listen(closedServer);
  await new Promise((r) => closedServer.close(r));
  return {
    http: `http://127.0.0.1:${ports[0]}`,
    https: `https://127.0.0.1:${ports[1]}`,
    silent: `http://127.0.0.1:${ports[2]}`,
    closed: `http://127.0.0.1:${closedPort}`,
    async close() {
      sockets.forEach((s) => s.destroy());
      await Promise.all([plain, secure, silent].map((s) => new Promise((r) => s.close(r))));
    },
  };
}
