import { Writable } from 'node:stream';
import { ProgressBar, ProgressLines } from './progress';

/** A terminal as cli-progress sees one: a stream that says it is a TTY, 100 columns wide. */
function fakeTerminal(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 100 });
  return { stream, text: () => chunks.join('') };
}

describe('import progress', () => {
  it('draws a bar per file in a terminal, with the percentage of bytes read and the rows so far', () => {
    const terminal = fakeTerminal();
    const bar = new ProgressBar(terminal.stream);
    bar.start('incidents.csv', 1000);
    bar.update(500, 1234);
    bar.stop();
    expect(terminal.text()).toContain('incidents.csv [');
    expect(terminal.text()).toMatch(/50% \| 1234 rows/);
  });

  it('writes a line every so many rows where there is no terminal', () => {
    const lines: string[] = [];
    const progress = new ProgressLines((line) => lines.push(line), 100);
    progress.start('incidents.csv');
    for (const rows of [50, 100, 150, 250, 260]) progress.update(0, rows);
    expect(lines).toEqual(['incidents.csv: 100 rows read', 'incidents.csv: 250 rows read']);
  });
});
