import { z } from "zod";
import { FactValue } from "../knowledge/schema.js";
import type { FileFact } from "./state.js";

/** A fact read from a file, as stored with a review and printed by `scan --format json`. */
export const FileFactSchema = z.strictObject({
  fact: z.string(),
  value: FactValue,
  file: z.string(),
  line: z.number().int().positive(),
  excerpt: z.string(),
  resource: z.string().optional(),
  platform: z.string().optional(),
});

// The interface other modules use and this schema describe the same shape.
export const parseFileFacts = (json: string): FileFact[] => z.array(FileFactSchema).parse(JSON.parse(json));
