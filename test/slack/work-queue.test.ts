import { describe, expect, it } from "vitest";
import { QuietGate, WorkQueue } from "../../src/slack/work-queue.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("work after the ack", () => {
  it("runs one review's jobs in order, others side by side, never more than the limit at once", async () => {
    const errors: unknown[] = [];
    const q = new WorkQueue((e) => errors.push(e), 3);
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const job = (name: string, ms: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      running--;
    };
    q.run("review:1", job("1a", 20));
    q.run("review:1", job("1b", 1));
    for (let i = 2; i <= 9; i++) q.run(`review:${i}`, job(String(i), 5));
    q.run("review:1", async () => {
      throw new Error("boom");
    });
    await q.idle();
    expect(log.indexOf("start 1b")).toBeGreaterThan(log.indexOf("end 1a"));
    expect(log.filter((l) => l.startsWith("end"))).toHaveLength(10);
    expect(peak).toBe(3);
    expect(errors).toHaveLength(1);
  });

  it("holds work while requests are open, then starts it once they are answered", async () => {
    const gate = new QuietGate(5, 1000);
    const q = new WorkQueue(
      () => {},
      8,
      () => gate.wait(),
    );
    let done = false;
    gate.enter();
    q.run("k", async () => {
      done = true;
    });
    await sleep(30);
    expect(done).toBe(false);
    gate.leave();
    await q.idle();
    expect(done).toBe(true);
  });

  it("does not hold work longer than its limit under a steady stream of requests", async () => {
    const gate = new QuietGate(5, 40);
    gate.enter();
    const started = performance.now();
    await gate.wait();
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    gate.leave();
  });
});
