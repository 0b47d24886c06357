import type { types } from "@slack/bolt";
import type { Question } from "../../core/knowledge/schema.js";
import type { ThreatModel } from "../../core/threats/model.js";
import { MAX_SHARED_FILES } from "../files/download.js";
import {
  INPUT_ACTION,
  questionBlockId,
  START_BLOCK,
  type StartMetadata,
  TEXT_ANSWER_BLOCK,
  type TextAnswerMetadata,
  VIEW,
} from "../ids.js";
import { clip, LIMITS } from "../text/limits.js";
import { type Block, capBlocks, context, plain } from "./kit.js";
import { WORKLOAD_LABEL } from "./labels.js";
import { summaryBlocks } from "./review.js";

/** The core refuses longer names; the input stops people typing them. */
export const NAME_MAX = 80;

const WORKLOADS = ["vm", "container", "serverless", "undecided"] as const;

function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value };
}

/** A context question as a modal input: free text, or a menu of its options. */
function questionInput(q: Question): Block {
  const element: types.PlainTextInput | types.StaticSelect =
    q.kind === "text"
      ? {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          multiline: true,
          max_length: Math.min(q.maxLength, LIMITS.inputMaxLength),
        }
      : {
          type: "static_select",
          action_id: INPUT_ACTION,
          placeholder: plain("Choose one", LIMITS.placeholder),
          options: q.options.slice(0, 100).map((o) => option(o.label, o.value)),
        };
  return {
    type: "input",
    block_id: questionBlockId(q.id),
    label: plain(q.text, LIMITS.inputLabel),
    hint: plain(q.why, LIMITS.inputLabel),
    element,
  };
}

/** `/threatmodel` with no text: name, workload and the context questions the knowledge base has. */
export function startModal(meta: StartMetadata, contextQuestions: Question[]): types.ModalView {
  return {
    type: "modal",
    callback_id: VIEW.startReview,
    private_metadata: JSON.stringify(meta),
    title: plain("New threat review", LIMITS.viewTitle),
    submit: plain("Start review", LIMITS.viewButton),
    close: plain("Cancel", LIMITS.viewButton),
    blocks: [
      {
        type: "input",
        block_id: START_BLOCK.name,
        label: plain("System name", LIMITS.inputLabel),
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          max_length: NAME_MAX,
          placeholder: plain("e.g. payments-api", LIMITS.placeholder),
        },
      },
      {
        type: "input",
        block_id: START_BLOCK.workload,
        label: plain("Workload type", LIMITS.inputLabel),
        element: {
          type: "radio_buttons",
          action_id: INPUT_ACTION,
          options: WORKLOADS.map((w) => option(WORKLOAD_LABEL[w], w)),
        },
      },
      ...contextQuestions.map(questionInput),
      {
        type: "input",
        block_id: START_BLOCK.files,
        optional: true,
        label: plain("Files (optional)", LIMITS.inputLabel),
        hint: plain(
          "Dockerfiles, Kubernetes manifests, Compose files, serverless.yml, SAM/CloudFormation templates or Terraform: the review starts from what they show and skips what they answer.",
          LIMITS.inputLabel,
        ),
        element: { type: "file_input", action_id: INPUT_ACTION, max_files: MAX_SHARED_FILES },
      },
    ],
  };
}

/** A free-text question answered in a modal. */
export function textAnswerModal(meta: TextAnswerMetadata, q: Question): types.ModalView {
  return {
    type: "modal",
    callback_id: VIEW.textAnswer,
    private_metadata: JSON.stringify(meta),
    title: plain("Your answer", LIMITS.viewTitle),
    submit: plain("Save answer", LIMITS.viewButton),
    close: plain("Cancel", LIMITS.viewButton),
    blocks: [
      {
        type: "input",
        block_id: TEXT_ANSWER_BLOCK,
        label: plain(q.text, LIMITS.inputLabel),
        hint: plain(q.why, LIMITS.inputLabel),
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          multiline: true,
          max_length: Math.min(q.maxLength, LIMITS.inputMaxLength),
        },
      },
    ],
  };
}

/** A review opened from the App Home: its summary, read-only. */
export function reviewDetailModal(model: ThreatModel, draft: boolean): types.ModalView {
  const blocks = capBlocks(summaryBlocks(model, { draft }), LIMITS.viewBlocks, (n) =>
    context(`${n} more blocks are in the exported report.`),
  );
  return {
    type: "modal",
    callback_id: VIEW.reviewDetail,
    title: plain(clip(`Review #${model.review.id}`, LIMITS.viewTitle), LIMITS.viewTitle),
    close: plain("Close", LIMITS.viewButton),
    blocks,
  };
}
