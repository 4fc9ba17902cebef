/**
 * How many clients a relay serves: sessions past `notifications/initialized` (a client
 * that only opened a session has not connected yet). The window shows it beside the
 * upstream's state, so "running" never hides that VS Code has not connected.
 */
import type { Disposable } from './upstreamSource';

export class ClientCount {
  private count = 0;
  private readonly listeners = new Set<() => void>();

  get value(): number {
    return this.count;
  }

  arrived(): void {
    this.count += 1;
    this.fire();
  }

  left(): void {
    this.count = Math.max(0, this.count - 1);
    this.fire();
  }

  onChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
