import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Random } from '../generate/random';
import { framed } from './exports.service';

/** What framed sends for `rows`, as one Buffer. */
async function through(prefix: string, suffix: string, rows: unknown[], map?: (row: unknown, index: number) => string): Promise<{ body: Buffer }> {
  const pieces: Buffer[] = [];
  await pipeline(Readable.from(rows, { objectMode: Boolean(map) }), framed(prefix, suffix, map), async (source: AsyncIterable<Buffer | string>) => {
    for await (const piece of source) pieces.push(Buffer.from(piece));
  });
  return { body: Buffer.concat(pieces) };
}

describe('framed', () => {
  const map = (row: unknown, k: number) => `${k ? ',\n' : ''}${row as string}`;

  it('sends the prefix, every mapped row and the suffix, byte for byte, whatever the rows hold', async () => {
    // ASCII, two- and three-byte UTF-8, astral characters, a lone surrogate, rows longer than a
    // piece (64 KB) and longer than the buffer, all mixed.
    const alphabet = ['a', 'é', '–', '“', '😀', 'Ж', '\ud800', '"'];
    const random = new Random(7, 'framed');
    const rows = Array.from({ length: 400 }, (_, k) => {
      const length = k % 97 === 0 ? random.int(50_000, 110_000) : random.int(0, 3_000);
      return Array.from({ length }, () => alphabet[random.int(0, alphabet.length - 1)]).join('');
    });
    // Some rows cannot fit the buffer (128 KB), and most characters take more than a byte.
    expect(rows.filter((row) => Buffer.byteLength(row) > 128 * 1024).length).toBeGreaterThan(1);
    expect(Buffer.byteLength(rows.join('')) / rows.join('').length).toBeGreaterThan(1.5);
    const { body } = await through('{"events":[\n', '\n]}\n', rows, map);
    expect(body.equals(Buffer.from(`{"events":[\n${rows.join(',\n')}\n]}\n`))).toBe(true);
  });

  it('sends the prefix and suffix alone when there is no row', async () => {
    expect((await through('[', ']', [], map)).body.toString()).toBe('[]');
  });

  it('passes bytes through after the prefix when not mapping', async () => {
    const { body } = await through('\uFEFF', '', [Buffer.from('a,b\n'), Buffer.from('1,2\n')]);
    expect(body.toString()).toBe('\uFEFFa,b\n1,2\n');
  });
});
