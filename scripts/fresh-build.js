// Builds dist/ with tsc only when a source changed since the last build, then runs the built file
// given as the first argument with the rest as its arguments:
//   node scripts/fresh-build.js dist/src/cli/vigil.js token list --email ana@example.org
// Plain JavaScript, so it runs before anything is compiled. tsc takes seconds even when it finds
// nothing to do; looking at the sources' times takes milliseconds.
'use strict';
const { spawnSync } = require('node:child_process');
const { closeSync, existsSync, openSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
/** What the build reads. Folders count too: deleting or renaming a file changes its folder's time. */
const INPUTS = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  let time = stat.mtimeMs;
  if (stat.isDirectory()) for (const name of readdirSync(path)) time = Math.max(time, newest(join(path, name)));
  return time;
}

/** Builds when dist/ is missing or older than a source; exits with tsc's code when it fails. */
function buildIfChanged() {
  const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  if (built > 0 && INPUTS.every((input) => newest(join(ROOT, input)) < built)) return;
  const started = new Date();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // Stamped with the time the build began: a file saved while tsc ran is seen as changed next time.
  closeSync(openSync(STAMP, 'a'));
  utimesSync(STAMP, started, started);
}

buildIfChanged();
const [file, ...args] = process.argv.slice(2);
if (file) {
  // Node 22+ keeps compiled code between runs (most of a short command's time is loading modules).
  require('node:module').enableCompileCache?.();
  process.argv = [process.argv[0], resolve(ROOT, file), ...args];
  require(resolve(ROOT, file));
}
