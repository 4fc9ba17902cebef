/** Progress of work on several instances, on stderr: one line per finished instance. */
import type { CliIo } from './io';

export class Progress {
  private finished = 0;

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {
    if (total > 0) io.writeErr(`connecting to ${total} instance${total === 1 ? '' : 's'}…\n`);
  }

  report(line: string): void {
    this.finished += 1;
    this.io.writeErr(`[${this.finished}/${this.total}] ${line}\n`);
  }
}
