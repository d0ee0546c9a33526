// `npm start` runs this: the web console is built once, on the first start of a fresh clone,
// and left alone afterwards (rebuild it with `npm run build:web`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url);
const sources = new URL('packages/web/package.json', root);
const built = new URL('packages/web/dist/index.html', root);

if (existsSync(sources) && !existsSync(built)) {
  process.stdout.write('Building the web console (first start)...\n');
  const result = spawnSync('npm', ['run', 'build:web', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('The web console did not build; the server starts without it.\n');
  }
}
