import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (the checkout the tarballs are packed from). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The packages published to the registry, in dependency order. */
export const PUBLISHED_PACKAGES = ['@botwire/protocol', '@botwire/client', '@botwire/cli'] as const;
export type PublishedPackage = (typeof PUBLISHED_PACKAGES)[number];

/** What `npm pack --json` says about one tarball. */
interface PackResult {
  name: PublishedPackage;
  filename: string;
  files: { path: string; mode: number }[];
}

/** A fresh project outside the checkout with the packed packages installed from their tarballs. */
export interface InstalledProject {
  /** The project folder (under the system temp folder, never inside the checkout). */
  directory: string;
  /** The tarball of each package, by name. */
  tarballs: Record<PublishedPackage, string>;
  /** The files of each tarball, as `npm pack` listed them. */
  packedFiles: Record<PublishedPackage, { path: string; mode: number }[]>;
  /** Runs a command in the project; rejects with its output when it fails. */
  exec(file: string, args: string[], options?: { env?: NodeJS.ProcessEnv }): Promise<string>;
  /** Writes a file of the project. */
  write(relativePath: string, text: string): string;
  /** The JSON of an installed package's package.json. */
  installedManifest(name: string): Record<string, unknown>;
  /** Removes the project and the tarballs. */
  remove(): void;
}

/** npm flags for a quick install from the machine's cache, without audit or funding chatter. */
const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/**
 * Packs the published packages with `npm pack` (as `npm publish` would) and installs the
 * tarballs, with `ws`, into a new project in the temp folder: its `node_modules` holds copies,
 * not links into the checkout, and nothing above it leads back to the checkout.
 */
export async function createInstalledProject(): Promise<InstalledProject> {
  const root = mkdtempSync(path.join(tmpdir(), 'botwire-packaging-'));
  const packs = path.join(root, 'tarballs');
  const directory = path.join(root, 'project');
  mkdirSync(packs);
  mkdirSync(directory);
  const workspaces = PUBLISHED_PACKAGES.flatMap((name) => ['-w', name]);
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', packs, ...workspaces, '--loglevel=error'],
    { cwd: REPOSITORY_ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  const packed = JSON.parse(stdout) as PackResult[];
  const tarballs = {} as Record<PublishedPackage, string>;
  const packedFiles = {} as Record<PublishedPackage, { path: string; mode: number }[]>;
  for (const result of packed) {
    tarballs[result.name] = path.join(packs, result.filename);
    packedFiles[result.name] = result.files;
  }

  const exec = async (
    file: string,
    args: string[],
    options: { env?: NodeJS.ProcessEnv } = {},
  ): Promise<string> => {
    try {
      const result = await run(file, args, {
        cwd: directory,
        env: options.env ?? process.env,
        maxBuffer: 16 * 1024 * 1024,
      });
      return result.stdout;
    } catch (error) {
      const { stdout: out = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`${file} ${args.join(' ')} failed:\n${out}\n${stderr}`, { cause: error });
    }
  };
  const write = (relativePath: string, text: string): string => {
    const file = path.join(directory, relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  write(
    'package.json',
    `${JSON.stringify({ name: 'botwire-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  await exec('npm', [
    'install',
    ...PUBLISHED_PACKAGES.map((name) => tarballs[name]),
    'ws',
    ...NPM_QUIET,
  ]);

  return {
    directory: realpathSync(directory),
    tarballs,
    packedFiles,
    exec,
    write,
    installedManifest: (name) =>
      JSON.parse(
        readFileSync(path.join(directory, 'node_modules', name, 'package.json'), 'utf8'),
      ) as Record<string, unknown>,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Installs tarballs globally into a new prefix (`npm i -g --prefix`); returns the prefix. */
export async function installGlobally(tarballs: string[]): Promise<string> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'botwire-global-'));
  await run('npm', ['install', '--global', '--prefix', prefix, ...tarballs, ...NPM_QUIET], {
    cwd: prefix,
  });
  return prefix;
}
