import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

/**
 * Reads one line per prompt. Lines that arrive before they are asked for (piped input) are queued,
 * so scripted sessions behave exactly like typed ones.
 */
export class LineReader {
  private readonly queue: string[] = [];
  private waiting: ((line: string | null) => void) | undefined;
  private closed = false;
  private readonly rl;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {
    const rl = createInterface({ input, terminal: false });
    this.rl = rl;
    rl.on("line", (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(line);
      } else this.queue.push(line);
    });
    rl.on("close", () => {
      this.closed = true;
      this.waiting?.(null);
      this.waiting = undefined;
    });
  }

  /** Stop reading: the input no longer keeps the process alive. */
  close(): void {
    this.rl.close();
    this.input.pause();
  }

  /** The next line, or null at end of input. */
  ask(prompt: string): Promise<string | null> {
    this.output.write(prompt);
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}
