/**
 * The nginx configuration Botwire's cluster tests run, as text. docs/scaling.md shows the part
 * {@link nginxProxyConfig} makes (for example addresses) and a test checks that it still does,
 * so what the docs recommend is what the tests drive.
 */

/** Options for {@link nginxProxyConfig}. */
export interface NginxProxyOptions {
  /** The Botwire nodes, `host:port` each; requests go to them in turn. */
  upstreams: readonly string[];
  /** What nginx listens on: `127.0.0.1:8080`, or just a port. */
  listen: string;
}

/**
 * The `http`-level part: the `Connection` header map, the upstream (default round-robin, no
 * affinity) and one server proxying everything, WebSocket upgrades included.
 */
export function nginxProxyConfig(options: NginxProxyOptions): string {
  if (options.upstreams.length === 0) throw new Error('nginx needs at least one upstream');
  const servers = options.upstreams.map((address) => `    server ${address};`).join('\n');
  return `# WebSocket upgrades pass "Connection: upgrade" on; other requests "Connection: close".
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}

# Round-robin (nginx's default), no ip_hash or sticky: any node serves any request.
upstream botwire {
${servers}
}

server {
    listen ${options.listen};

    # Above Botwire's largest REST body: an image upload (maxImageBytes, 5 MiB by default).
    client_max_body_size 8m;

    location / {
        proxy_pass http://botwire;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        # Botwire checks browser Origins against Host: keep the client's, port included.
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Botwire pings every socket (30 s) and closes silent ones itself (75 s): nginx's
        # timeouts are only a backstop and must stay above both.
        proxy_read_timeout 1h;
        proxy_send_timeout 1h;
    }
}
`;
}

/** Options for {@link nginxTestConfig}. */
export interface NginxTestOptions extends NginxProxyOptions {
  /** Directory holding the pid file, logs and temp files (nothing outside it is written). */
  directory: string;
  /** Whether nginx runs as root (then its worker must too, to use `directory`). */
  asRoot: boolean;
}

/**
 * A whole `nginx.conf` for a test: {@link nginxProxyConfig} in an `http` block, a foreground
 * master with one worker (one round-robin counter, so consecutive requests visit the nodes in
 * turn), and every file nginx writes inside `directory`.
 */
export function nginxTestConfig(options: NginxTestOptions): string {
  const file = (name: string): string => `${options.directory}/${name}`;
  const proxy = nginxProxyConfig(options)
    .trimEnd()
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
  return `${options.asRoot ? '# Root by default gives workers "nobody", who cannot enter the temp dir.\nuser root;\n' : ''}daemon off;
worker_processes 1;
pid ${file('nginx.pid')};
error_log stderr warn;

events {
    worker_connections 1024;
}

http {
    access_log ${file('access.log')};
    client_body_temp_path ${file('client_body')};
    proxy_temp_path ${file('proxy')};
    fastcgi_temp_path ${file('fastcgi')};
    uwsgi_temp_path ${file('uwsgi')};
    scgi_temp_path ${file('scgi')};

${proxy}
}
`;
}
