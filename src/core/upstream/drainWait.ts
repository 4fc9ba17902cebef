/**
 * Backpressure on a process's stdin: when a write finds the pipe full, the sender waits for
 * 'drain'. Kept apart from `ProcessTransport` because it is the one piece of the send path
 * with state of its own: a single wait shared by every send that meets a full pipe, rather
 * than a listener per message (which would pile up under load and trip Node's leak warning).
 * Only the slow path comes here; a write that fits the pipe never touches it.
 */
export class SharedDrainWait {
  private drained: Promise<void> | undefined;

  /** @param instance `server/instance`, for messages. */
  constructor(private readonly instance: string) {}

  /** Settles when `stdin` drains; rejects if it closes first. */
  wait(stdin: NodeJS.WritableStream): Promise<void> {
    this.drained ??= new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        stdin.off('drain', onDrain);
        stdin.off('close', onClose);
        this.drained = undefined;
      };
      const onDrain = (): void => {
        settle();
        resolve();
      };
      const onClose = (): void => {
        settle();
        reject(new Error(`${this.instance}: the process closed its stdin before reading the message`));
      };
      stdin.on('drain', onDrain);
      stdin.on('close', onClose);
    });
    return this.drained;
  }
}
