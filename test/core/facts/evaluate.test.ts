import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/facts/evaluate.js";
import type { FactState, KnownFact } from "../../../src/core/facts/state.js";
import type { FactCondition, FactValue } from "../../../src/core/knowledge/schema.js";
import { fixtureKb } from "../../support/core.js";

const kb = fixtureKb();
const v = kb.vocabulary;
const SENSITIVITY = ["public", "internal", "confidential", "restricted"];
const FLAGS = ["exposure.internet", "fn.wildcard", "k8s.default-deny"];
const source = { kind: "answer", questionId: "q", answer: "a" } as const;

const leaf: fc.Arbitrary<FactCondition> = fc.oneof(
  fc.record({ fact: fc.constantFrom(...FLAGS), is: fc.boolean() }),
  fc.record({ fact: fc.constant("data.sensitivity"), is: fc.constantFrom(...SENSITIVITY) }),
  fc.record({
    fact: fc.constant("data.sensitivity"),
    in: fc.uniqueArray(fc.constantFrom(...SENSITIVITY), { minLength: 1 }),
  }),
  fc.record({
    platform: fc.uniqueArray(fc.constantFrom("fn", "k8s", "ecs", "vms", "container"), { minLength: 1 }),
  }),
);
const condition = fc.letrec<{ c: FactCondition }>((tie) => ({
  c: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie("c"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie("c"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie("c") }),
  ),
})).c;

/** A complete assignment of every fact; a review knows some subset of it. */
const world = fc.record({
  "exposure.internet": fc.boolean(),
  "fn.wildcard": fc.boolean(),
  "k8s.default-deny": fc.boolean(),
  "data.sensitivity": fc.constantFrom(...SENSITIVITY),
});
const state = (values: Record<string, FactValue>, knownIds: readonly string[]): FactState => ({
  known: new Map<string, KnownFact>(knownIds.map((f) => [f, { value: values[f] as FactValue, source }])),
  open: new Map(),
});
const ALL = [...FLAGS, "data.sensitivity"];

describe("three-valued evaluation", () => {
  it("never flips a settled result when more facts become known (monotonic)", () => {
    fc.assert(
      fc.property(
        condition,
        world,
        fc.subarray(ALL),
        fc.subarray(ALL),
        fc.constantFrom("fn", "k8s", "ecs", "vms"),
        (c, values, some, more, platform) => {
          const fewer = evaluate(c, state(values, some), platform, v);
          const larger = evaluate(c, state(values, [...new Set([...some, ...more])]), platform, v);
          if (fewer.truth !== "unknown") expect(larger.truth).toBe(fewer.truth);
          // Once every fact is known nothing is left unknown, and nothing is reported missing.
          const full = evaluate(c, state(values, ALL), platform, v);
          expect(full.truth).not.toBe("unknown");
          expect(full.missing.size).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("is unknown, never true or false, on a fact nobody established, and names it as missing", () => {
    const none = state({}, []);
    for (const c of [
      { fact: "fn.wildcard", is: true },
      { not: { fact: "fn.wildcard", is: true } },
      { all: [{ platform: ["fn"] }, { fact: "fn.wildcard", is: false }] },
    ] satisfies FactCondition[]) {
      const e = evaluate(c, none, "fn", v);
      expect(e.truth).toBe("unknown");
      expect([...e.missing]).toEqual(["fn.wildcard"]);
    }
    // One decisive part settles it: a false "all" or a true "any" needs nothing else.
    expect(
      evaluate({ all: [{ platform: ["k8s"] }, { fact: "fn.wildcard", is: true }] }, none, "fn", v).truth,
    ).toBe(false);
  });
});
