// Small Nmap XML documents for asset tests: hosts with ports, a scanned port range.

export interface XmlPort {
  port: number;
  state?: 'open' | 'closed' | 'filtered';
  protocol?: 'tcp' | 'udp';
  service?: string;
  product?: string;
  version?: string;
}

export interface XmlHost {
  ip: string;
  up?: boolean;
  names?: string[];
  os?: { name: string; family: string; accuracy: number };
  ports?: XmlPort[];
}

const portXml = (p: XmlPort) =>
  `<port protocol="${p.protocol ?? 'tcp'}" portid="${p.port}"><state state="${p.state ?? 'open'}"/>` +
  `<service name="${p.service ?? 'http'}"${p.product ? ` product="${p.product}"` : ''}${p.version ? ` version="${p.version}"` : ''}/></port>`;

const hostXml = (h: XmlHost) =>
  `<host><status state="${h.up === false ? 'down' : 'up'}"/><address addr="${h.ip}" addrtype="${h.ip.includes(':') ? 'ipv6' : 'ipv4'}"/>` +
  `<hostnames>${(h.names ?? []).map((n, i) => `<hostname name="${n}" type="${i ? 'PTR' : 'user'}"/>`).join('')}</hostnames>` +
  `<ports>${(h.ports ?? []).map(portXml).join('')}</ports>` +
  (h.os ? `<os><osmatch name="${h.os.name}" accuracy="${h.os.accuracy}"><osclass osfamily="${h.os.family}"/></osmatch></os>` : '') +
  '</host>';

/** An nmap run that probed `scanned` ("1-1000", "22,80") over tcp on every listed host. */
export const nmapXml = (hosts: XmlHost[], scanned = '1-1000') =>
  Buffer.from(
    `<?xml version="1.0"?><nmaprun scanner="nmap"><scaninfo type="syn" protocol="tcp" numservices="1" services="${scanned}"/>` +
      `${hosts.map(hostXml).join('\n')}</nmaprun>`,
  );
