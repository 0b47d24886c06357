import { z } from "zod";

const InputValue = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});

/** The parts of a view_submission payload the app reads. */
const ViewSubmission = z.object({
  team: z.object({ id: z.string().min(1) }).nullish(),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  view: z.object({
    id: z.string().min(1),
    private_metadata: z.string().default(""),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), InputValue)) }),
  }),
});

export interface Submission {
  teamId: string;
  userId: string;
  viewId: string;
  metadata: string;
  /** The typed text or chosen option of an input block, by block id and action id. */
  input(blockId: string, actionId: string): string | undefined;
}

export function readSubmission(body: unknown): Submission | undefined {
  const parsed = ViewSubmission.safeParse(body);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const teamId = b.team?.id ?? b.user.team_id;
  if (!teamId) return undefined;
  return {
    teamId,
    userId: b.user.id,
    viewId: b.view.id,
    metadata: b.view.private_metadata,
    input: (blockId, actionId) => {
      const v = b.view.state.values[blockId]?.[actionId];
      return v?.value ?? v?.selected_option?.value ?? undefined;
    },
  };
}
