import { z } from "zod";
import { factsForReview, questionsSettledByFiles } from "../../artifacts/for-review.js";
import type { FileFact } from "../../core/facts/state.js";
import type { Workload } from "../../core/knowledge/schema.js";
import { filesReadMessage } from "../blocks/files.js";
import type { Notify, SlackDeps } from "../deps.js";
import { INPUT_ACTION, START_BLOCK } from "../ids.js";
import { scanShared } from "./ingest.js";

/** The start modal's file input, as view_submission carries it (file objects, of which only ids are used). */
const FilesInput = z.object({
  view: z.object({
    state: z.object({
      values: z.object({
        [START_BLOCK.files]: z
          .object({
            [INPUT_ACTION]: z
              .object({ files: z.array(z.object({ id: z.string().min(1) })).nullish() })
              .optional(),
          })
          .optional(),
      }),
    }),
  }),
});

export function startModalFiles(body: unknown): { id: string }[] {
  const parsed = FilesInput.safeParse(body);
  return parsed.success
    ? (parsed.data.view.state.values[START_BLOCK.files]?.[INPUT_ACTION]?.files ?? [])
    : [];
}

/**
 * Read the files given in the start modal the way thread uploads are read. The review starts from
 * their facts; the person who started it is told what the files showed and what was not used.
 */
export async function readStartFiles(
  deps: SlackDeps,
  req: { body: unknown; workload: Workload; userId: string },
): Promise<{ facts: FileFact[]; tell: (notify: Notify) => Promise<void> }> {
  const shared = startModalFiles(req.body);
  if (shared.length === 0) return { facts: [], tell: async () => {} };
  const scan = await scanShared(deps, shared);
  const facts = factsForReview(scan);
  const message = filesReadMessage({
    sharedBy: req.userId,
    shared: shared.length,
    read: scan.files.map((f) => f.file),
    facts,
    problems: scan.problems,
    refused: scan.refused,
    settled: questionsSettledByFiles(deps.kb, req.workload, facts),
    conflicts: [],
    platformNote: scan.platform?.note,
  });
  return { facts, tell: (notify) => notify(message) };
}
