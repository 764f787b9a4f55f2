/** deploy/nginx.conf, the worked example of docs/deploy.md (two instances behind nginx): checked
 * by `nginx -t` when nginx is installed (CI installs it), and, installed or not, for what Vigil
 * relies on: two instances in the upstream, the client address passed so TRUST_PROXY can read it,
 * the body limit, and unbuffered exports. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SECURITY_OPTIONS } from '../../src/security/security-options';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, 'deploy', 'nginx.conf');
const text = readFileSync(CONFIG, 'utf8');
/** The directives, comments left out. */
const directives = text
  .split('\n')
  .map((line) => line.replace(/#.*$/, '').trim())
  .filter((line) => line !== '');
/** The text of the block that opens with `opening` (`location /exports/`), braces balanced. */
function block(opening: string): string {
  const start = directives.findIndex((line) => line.startsWith(`${opening} {`));
  if (start < 0) throw new Error(`no block "${opening}" in deploy/nginx.conf`);
  let depth = 0;
  const lines: string[] = [];
  for (const line of directives.slice(start)) {
    depth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
    lines.push(line);
    if (depth === 0) break;
  }
  return lines.join('\n');
}

const nginx = spawnSync('nginx', ['-v']).error ? null : 'nginx';

describe('deploy/nginx.conf', () => {
  it('balances two instances, passes the client address, keeps the body limit and streams exports', () => {
    const upstream = block('upstream vigil');
    expect(upstream.match(/^server 127\.0\.0\.1:\d+/gm)).toHaveLength(2);
    expect(directives).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(directives).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    // The proxy refuses what the service would refuse anyway, no less.
    expect(directives).toContain(`client_max_body_size ${DEFAULT_SECURITY_OPTIONS.bodyLimit / 1024 / 1024}m;`);
    for (const location of ['location /', 'location /exports/']) expect(block(location)).toMatch(/proxy_pass http:\/\/vigil;/);
    expect(block('location /exports/')).toMatch(/proxy_buffering off;/);
    // Every proxy_set_header sits at server level: one in a location would drop the others there.
    for (const location of ['location /', 'location /exports/']) expect(block(location)).not.toMatch(/proxy_set_header/);
    // docs/deploy.md points at it and tells the instances whose X-Forwarded-For to believe.
    const deploy = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
    expect(deploy).toContain('deploy/nginx.conf');
    expect(deploy).toContain('TRUST_PROXY=127.0.0.1');
  });

  if (!nginx) {
    // Without nginx (CI installs it: .ci/run), what can be checked without it still is.
    it('is well-formed: nginx is not installed, so `nginx -t` did not run', () => {
      let depth = 0;
      for (const line of directives) {
        depth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
        expect({ line, depth: depth >= 0 }).toEqual({ line, depth: true });
        expect({ line, ends: /[;{}]$/.test(line) }).toEqual({ line, ends: true });
      }
      expect(depth).toBe(0);
    });
    return;
  }

  it('passes `nginx -t` (with a throwaway certificate in place of the real one)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-nginx-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=vigil.example.org',
        '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem')], { stdio: 'ignore' });
      const site = text.replace(/\/etc\/letsencrypt\/live\/vigil\.example\.org\//g, `${dir}/`);
      expect(site).not.toBe(text);
      writeFileSync(join(dir, 'vigil.conf'), site);
      writeFileSync(
        join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/vigil.conf;\n}\n`,
      );
      const result = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect({ status: result.status, output: result.stderr }).toMatchObject({ status: 0 });
      expect(result.stderr).toMatch(/test is successful/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
