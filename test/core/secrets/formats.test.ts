import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toThreatComposer } from "../../../src/core/report/threat-composer.js";
import { maskSecrets, maskSecretsSync } from "../../../src/core/secrets/mask.js";
import { tempBot } from "../../support/core.js";
import { SECRET_SAMPLES } from "../../support/secret-samples.js";

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe("high-value token formats", () => {
  it.each(SECRET_SAMPLES)("masks a $kind and says what it was", async ({ text, secret }) => {
    const masked = await maskSecrets(text);
    expect(masked.text).not.toContain(secret);
    expect(masked.text).toContain("[secret masked");
    expect(masked.findings.length).toBeGreaterThan(0);
  });

  it("leaves ordinary design prose alone", async () => {
    const prose =
      "We sign session tokens with RS256 and rotate the Stripe and GCP keys monthly; eyJ is how a JWT starts.";
    expect((await maskSecrets(prose)).text).toBe(prose);
    expect(maskSecretsSync(prose)).toBe(prose);
  });

  it("keeps every format out of the database file, its WAL and every export", async () => {
    const bot = tempBot();
    cleanup = bot.cleanup;
    const text = SECRET_SAMPLES.map((s) => s.text)
      .join("\n")
      .slice(0, 1900);
    const stored = [];
    for (const [i, s] of SECRET_SAMPLES.entries()) {
      const started = await bot.reviews.start({
        // Names are capped at 80 characters; a long token goes into the answer only.
        name: s.text.length <= 78 ? s.text : `svc ${i}`,
        workload: "serverless",
        actor: "alice",
        origin: "cli",
      });
      stored.push(started.view.review.id);
      // The description question takes free text wherever it comes in the order.
      await bot.reviews.answer({
        reviewId: started.view.review.id,
        questionId: started.view.question?.id ?? "",
        value: started.view.question?.kind === "text" ? { kind: "text", text: s.text } : { kind: "skip" },
        actor: "alice",
      });
    }
    const done = await bot.reviews.reviewFromAnswers(
      { name: "all formats", workload: "serverless", actor: "alice", origin: "cli" },
      { "context.description": text },
    );
    const exports = [
      done.markdown,
      JSON.stringify(done.model),
      JSON.stringify(toThreatComposer(done.model)),
      ...stored.map((id) => bot.reviews.threatModel(id).markdown),
    ].join("\n");
    const dir = dirname(bot.dbPath);
    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString("latin1"));
    for (const s of SECRET_SAMPLES) {
      expect(exports, s.kind).not.toContain(s.secret);
      for (const f of files) expect(f.includes(s.secret), `${s.kind} in the database files`).toBe(false);
    }
  });
});
