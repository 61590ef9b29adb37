// Two baseline scripts written for xsc's demo data (not copied from any published benchmark).
import type { PrismaService } from '../prisma/prisma.service.js';
import type { VulnLevel } from '../generated/prisma/enums.js';

interface SeedCheck {
  checkId: string;
  title: string;
  level: VulnLevel;
  expected: string;
  rationale: string;
  remediation: string;
}

interface SeedScript {
  name: string;
  target: string;
  targetVersion: string;
  description: string;
  checks: SeedCheck[];
}

const c = (checkId: string, level: VulnLevel, title: string, expected: string, rationale: string, remediation: string): SeedCheck => ({
  checkId, level, title, expected, rationale, remediation,
});

export const SEED_SCRIPTS: SeedScript[] = [
  {
    name: 'Linux server hardening',
    target: 'linux',
    targetVersion: 'systemd distributions',
    description: 'Baseline for internet-facing Linux servers: remote access, accounts, kernel network settings, logging and updates.',
    checks: [
      c('linux-ssh-root-login', 'CRITICAL', 'SSH refuses direct root login', 'PermitRootLogin no',
        'A root password guessed over SSH gives the whole machine at once; administrators should log in as themselves and escalate.',
        'Set "PermitRootLogin no" in /etc/ssh/sshd_config and reload sshd.'),
      c('linux-ssh-password-auth', 'HIGH', 'SSH accepts keys only, not passwords', 'PasswordAuthentication no',
        'Password logins can be brute-forced from anywhere; keys cannot.',
        'Install administrators\' public keys, then set "PasswordAuthentication no" and reload sshd.'),
      c('linux-ssh-max-auth-tries', 'MEDIUM', 'SSH limits authentication attempts per connection', 'MaxAuthTries <= 4',
        'Few tries per connection slow down guessing and make it visible in the logs.', 'Set "MaxAuthTries 4" in sshd_config.'),
      c('linux-empty-passwords', 'CRITICAL', 'No account has an empty password', 'no entries with an empty password field in /etc/shadow',
        'An account without a password can be entered by anyone who reaches a login prompt.', 'Lock or set a password for every such account (passwd -l <user>).'),
      c('linux-uid0-only-root', 'HIGH', 'Only root has user id 0', 'exactly one account with UID 0',
        'A second UID 0 account is a full administrator that escapes review.', 'Remove or renumber any other account with UID 0.'),
      c('linux-ip-forwarding', 'MEDIUM', 'IP forwarding is off', 'net.ipv4.ip_forward = 0',
        'A server that is not a router should not route packets between networks.', 'Set net.ipv4.ip_forward = 0 in /etc/sysctl.d and apply with sysctl --system.'),
      c('linux-icmp-redirects', 'LOW', 'ICMP redirects are ignored', 'net.ipv4.conf.all.accept_redirects = 0',
        'Forged redirects can reroute the server\'s traffic through an attacker.', 'Set net.ipv4.conf.all.accept_redirects = 0 and apply.'),
      c('linux-syn-cookies', 'LOW', 'TCP SYN cookies are on', 'net.ipv4.tcp_syncookies = 1',
        'SYN cookies keep the server reachable during a SYN flood.', 'Set net.ipv4.tcp_syncookies = 1 and apply.'),
      c('linux-firewall-default-deny', 'HIGH', 'The host firewall drops unsolicited inbound traffic by default', 'default inbound policy DROP or REJECT',
        'Services started by mistake stay unreachable when the default is to deny.', 'Enable nftables/ufw/firewalld with a default inbound policy of drop and allow only the served ports.'),
      c('linux-auditd-running', 'MEDIUM', 'The audit daemon is running', 'auditd active',
        'Without an audit trail an intrusion cannot be reconstructed.', 'Install auditd, enable and start it (systemctl enable --now auditd).'),
      c('linux-security-updates', 'HIGH', 'Security updates are installed automatically', 'unattended security upgrades enabled',
        'Most compromises use vulnerabilities that already have a fix.', 'Enable unattended-upgrades (Debian/Ubuntu) or dnf-automatic with security updates (RHEL family).'),
      c('linux-tmp-noexec', 'LOW', '/tmp is mounted noexec,nosuid', 'noexec,nosuid on /tmp',
        'World-writable /tmp is where dropped payloads are usually run from.', 'Mount /tmp as a separate tmpfs with noexec,nosuid,nodev in /etc/fstab.'),
      c('linux-time-sync', 'INFO', 'The clock is synchronised', 'chrony or systemd-timesyncd active',
        'Correct time is needed to correlate logs; it does not harden the server by itself.', 'Enable chronyd or systemd-timesyncd.'),
    ],
  },
  {
    name: 'nginx web server hardening',
    target: 'nginx',
    targetVersion: '1.20+',
    description: 'Baseline for nginx serving public websites: information leaks, TLS, headers, limits and file access.',
    checks: [
      c('nginx-server-tokens', 'LOW', 'The version number is not sent', 'server_tokens off',
        'Advertising the exact version tells attackers which published flaws apply.', 'Add "server_tokens off;" to the http block.'),
      c('nginx-autoindex', 'MEDIUM', 'Directory listings are off', 'autoindex off (everywhere)',
        'Listings expose backups, configuration copies and other files never meant to be linked.', 'Remove "autoindex on;" from every server and location block.'),
      c('nginx-tls-protocols', 'HIGH', 'Only TLS 1.2 and 1.3 are offered', 'ssl_protocols TLSv1.2 TLSv1.3',
        'SSLv3, TLS 1.0 and 1.1 have practical attacks and are deprecated.', 'Set "ssl_protocols TLSv1.2 TLSv1.3;".'),
      c('nginx-tls-ciphers', 'HIGH', 'Weak cipher suites are disabled', 'no NULL, EXPORT, RC4, DES or 3DES suites',
        'Weak suites let a network attacker decrypt or tamper with traffic.', 'Set ssl_ciphers to a modern list (ECDHE with AES-GCM or CHACHA20) and ssl_prefer_server_ciphers on for TLS 1.2.'),
      c('nginx-http-redirect', 'MEDIUM', 'Plain HTTP redirects to HTTPS', 'port 80 answers 301 to https://',
        'Pages served over HTTP can be read and altered in transit.', 'In the port 80 server block: "return 301 https://$host$request_uri;".'),
      c('nginx-hsts', 'MEDIUM', 'Strict-Transport-Security is sent', 'max-age >= 15552000',
        'HSTS stops downgrade to HTTP after the first visit.', 'add_header Strict-Transport-Security "max-age=31536000" always;'),
      c('nginx-frame-options', 'LOW', 'Pages cannot be framed by other sites', 'X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors',
        'Framing enables click-jacking.', 'add_header X-Frame-Options SAMEORIGIN always; (or a CSP frame-ancestors directive).'),
      c('nginx-content-type-options', 'LOW', 'MIME sniffing is disabled', 'X-Content-Type-Options nosniff',
        'Sniffing can turn an uploaded file into script.', 'add_header X-Content-Type-Options nosniff always;'),
      c('nginx-hidden-files', 'CRITICAL', 'Hidden files (.git, .env) are not served', 'location ~ /\\. { deny all; }',
        'A served .git directory or .env file gives away source code and secrets.', 'Add a location that denies paths with a dot segment, except /.well-known/.'),
      c('nginx-body-size', 'LOW', 'Request bodies are limited', 'client_max_body_size set to what the site needs',
        'Unbounded bodies let one client fill the disk or memory.', 'Set client_max_body_size (for example 10m) in the http or server block.'),
      c('nginx-run-user', 'HIGH', 'Workers run as an unprivileged user', 'user nginx (or www-data), not root',
        'A flaw in a worker must not give root.', 'Set "user nginx;" in nginx.conf and make sure that account has no shell.'),
      c('nginx-config-permissions', 'MEDIUM', 'Configuration and keys are not world-readable', 'private keys mode 600, owned by root',
        'Anyone on the host who reads the key can impersonate the site.', 'chmod 600 the key files and 644 or stricter the configuration, owned by root.'),
    ],
  },
];

/** Creates the scripts that do not exist yet (by name); never adds versions to existing ones. */
export async function seedBaselineScripts(prisma: PrismaService): Promise<number> {
  let created = 0;
  for (const s of SEED_SCRIPTS) {
    if (await prisma.baselineScript.findUnique({ where: { name: s.name }, select: { id: true } })) continue;
    const { checks, ...fields } = s;
    await prisma.baselineScript.create({
      data: { ...fields, versions: { create: { version: 1, checks: { create: checks.map((ch, position) => ({ ...ch, position })) } } } },
    });
    created++;
  }
  return created;
}
