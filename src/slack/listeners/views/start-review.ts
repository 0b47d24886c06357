import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import { InputError } from "../../../core/errors.js";
import type { FileFact } from "../../../core/facts/state.js";
import type { KnowledgeBase } from "../../../core/knowledge/load.js";
import { Workload } from "../../../core/knowledge/schema.js";
import { apply, currentQuestion, initialState, validateAnswer } from "../../../core/review/engine.js";
import type { AnswerValue } from "../../../core/review/events.js";
import { NAME_MAX } from "../../blocks/modals.js";
import { afterAck, type SlackDeps, viaEphemeral } from "../../deps.js";
import { readStartFiles } from "../../files/start-files.js";
import { INPUT_ACTION, parseJson, questionBlockId, START_BLOCK, StartMetadata } from "../../ids.js";
import { storeFirst, storeStart } from "../../review-flow.js";
import { clip } from "../../text/limits.js";
import { readSubmission } from "./submission.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: names must not carry control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function nameProblem(name: string): string | undefined {
  if (name.length === 0) return "Give the system a name, e.g. payments-api.";
  if (name.length > NAME_MAX) return `Keep the name under ${NAME_MAX} characters.`;
  if (CONTROL.test(name)) return "The name contains control characters; type it again.";
  return undefined;
}

/**
 * Answers from the modal are stored as the review's first answers, in the order the review asks
 * them; the walk stops at the first question the modal did not ask, which the thread then asks.
 */
function prefillInOrder(
  kb: KnowledgeBase,
  workload: Workload,
  given: Map<string, AnswerValue>,
  fileFacts: readonly FileFact[],
) {
  const out: Record<string, AnswerValue> = {};
  let state = initialState(workload, fileFacts);
  for (let q = currentQuestion(kb, state); q && given.has(q.id); q = currentQuestion(kb, state)) {
    const value = given.get(q.id) as AnswerValue;
    out[q.id] = value;
    state = apply(state, { type: "answer", questionId: q.id, value, actor: "", at: "" });
  }
  return out;
}

/** The start modal: invalid input goes back into the modal (`response_action: errors`); a valid one starts the thread. */
export function startReviewSubmission(deps: SlackDeps) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const sub = readSubmission(body);
    const meta = parseJson(StartMetadata, sub?.metadata);
    if (!sub || !meta || meta.team !== sub.teamId) {
      await ack();
      deps.log.warn("start modal submitted without its metadata, or from another workspace");
      return;
    }
    const errors: Record<string, string> = {};
    const name = (sub.input(START_BLOCK.name, INPUT_ACTION) ?? "").trim();
    const nameIssue = nameProblem(name);
    if (nameIssue) errors[START_BLOCK.name] = nameIssue;
    const workload = Workload.safeParse(sub.input(START_BLOCK.workload, INPUT_ACTION));
    if (!workload.success) errors[START_BLOCK.workload] = "Choose a workload type.";

    // Pure checks only (the engine's validation), so the ack stays well inside three seconds.
    const given = new Map<string, AnswerValue>();
    for (const id of ["context.description", "context.internet-facing", "context.data-sensitivity"]) {
      const q = deps.kb.question(id);
      const raw = sub.input(questionBlockId(id), INPUT_ACTION);
      if (!q || raw === undefined) continue;
      try {
        given.set(
          id,
          validateAnswer(
            q,
            q.kind === "choice" ? { kind: "choice", value: raw } : { kind: "text", text: raw },
          ),
        );
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        errors[questionBlockId(id)] = clip(e.message, 300);
      }
    }
    if (Object.keys(errors).length > 0 || !workload.success) {
      await ack({ response_action: "errors", errors });
      return;
    }
    const notify = viaEphemeral(client, meta.channel, sub.userId);
    // Files given in the modal are read first, so the review starts from their facts.
    const files = await readStartFiles(deps, { body, workload: workload.data, userId: sub.userId });
    // The review and the modal's answers are stored before the modal is acknowledged.
    const followUp = await storeFirst(() =>
      storeStart(deps, {
        teamId: sub.teamId,
        channelId: meta.channel,
        userId: sub.userId,
        name,
        workload: workload.data,
        prefill: prefillInOrder(deps.kb, workload.data, given, files.facts),
        fileFacts: files.facts,
        dedupeKey: `start:${sub.teamId}:${sub.viewId}`,
        notify,
      }),
    );
    await ack();
    afterAck(deps, `channel:${meta.channel}`, notify, "start review", async () => {
      await followUp(client);
      await files.tell(notify);
    });
  };
}
