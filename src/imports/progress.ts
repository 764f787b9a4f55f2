import { Presets, SingleBar } from 'cli-progress';

/** How far an import is, file by file. Reports rows and bytes, never a cell. */
export interface ImportProgress {
  start(file: string, totalBytes: number): void;
  update(bytes: number, rows: number): void;
  stop(): void;
}

export const NO_PROGRESS: ImportProgress = { start: () => undefined, update: () => undefined, stop: () => undefined };

/** A progress bar over the file's bytes (rows are counted as they are read, so their total is not
 * known in advance), for a terminal. */
export class ProgressBar implements ImportProgress {
  private bar: SingleBar | null = null;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  start(file: string, totalBytes: number): void {
    this.stop();
    this.bar = new SingleBar(
      {
        stream: this.stream,
        format: `${file} [{bar}] {percentage}% | {rows} rows | {duration_formatted} elapsed, {eta_formatted} left`,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    this.bar.start(Math.max(totalBytes, 1), 0, { rows: 0 });
  }

  update(bytes: number, rows: number): void {
    this.bar?.update(bytes, { rows });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** A line every `every` rows, for logs and pipes, where a bar would be noise. */
export class ProgressLines implements ImportProgress {
  private file = '';
  private next = 0;

  constructor(
    private readonly log: (line: string) => void,
    private readonly every = 10_000,
  ) {}

  start(file: string): void {
    this.file = file;
    this.next = this.every;
  }

  update(_bytes: number, rows: number): void {
    if (rows < this.next) return;
    this.log(`${this.file}: ${rows} rows read`);
    this.next = (Math.floor(rows / this.every) + 1) * this.every;
  }

  stop(): void {}
}
