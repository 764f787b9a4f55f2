import { setFlagsFromString } from 'node:v8';

/** Heap growth per major collection for the import: 1.5 times what survived it. */
export const IMPORT_HEAP_GROWING_PERCENT = 50;

/**
 * Keeps the import's heap near what it holds. An import allocates fast and keeps little (the ids it
 * has seen, with their lines), and V8 lets such a heap grow to up to four times what survives each
 * collection before collecting again: 432-440 MB resident for 100,000 incidents whose live set fits
 * in 192 MB (bench/README.md, "Import"). A smaller growth factor, rather than a hard limit, which a
 * larger import could reach and fail on. V8 reads this flag at each collection, so setting it once
 * the process runs works; it is set by the import command itself, so `npm run vigil -- import` and
 * `node dist/src/cli/vigil.js import` both get it, and no other command does.
 */
export function keepHeapNearLiveSet(): void {
  setFlagsFromString(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
}
