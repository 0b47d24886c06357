import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The Q&A held-out sets, in the order they were written. Each is measured once before retrieval is
 * tuned against anything written after it, and that figure is recorded next to it; none is tuned on.
 */
export const HELD_OUT_SETS = {
  "qa-heldout": {
    /** Kept as first recorded, so the existing baseline still reads as it was written. */
    recordLabel: "held-out, before tuning",
    name: "held-out set 1",
    /** Its misses were read while retrieval was tuned, so its figure is no longer fully out of sample. */
    tuning: "not tuned on, but its misses were seen while tuning",
  },
  "qa-heldout-2": {
    recordLabel: "held-out set 2, before tuning",
    name: "held-out set 2, written after the first set was tuned against",
    tuning: "never tuned on",
  },
  "qa-heldout-3": {
    recordLabel: "held-out set 3, before tuning",
    name: "held-out set 3, written after the question log was added",
    tuning: "never tuned on",
  },
  "qa-heldout-4": {
    recordLabel: "held-out set 4, before tuning",
    name: "held-out set 4, written after the twenty-first question block",
    tuning: "never tuned on",
  },
} as const;
export type HeldOutSetName = keyof typeof HELD_OUT_SETS;

export function isHeldOutSet(name: string): name is HeldOutSetName {
  return Object.hasOwn(HELD_OUT_SETS, name);
}

export const heldOutPath = (name: HeldOutSetName) =>
  fileURLToPath(new URL(`../test/fixtures/${name}.yaml`, import.meta.url));

export const baselinePath = (name: HeldOutSetName) =>
  fileURLToPath(new URL(`../test/fixtures/${name}-baseline.json`, import.meta.url));

/** A held-out set's figure as recorded once (bench/heldout-record.ts). */
export const RecordedBaseline = z.object({
  label: z.string(),
  measuredOn: z.string(),
  recallAt3: z.number(),
  questions: z.number(),
  clarified: z.number(),
  declined: z.number(),
});
export type RecordedBaseline = z.infer<typeof RecordedBaseline>;
