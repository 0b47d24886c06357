import { combineFileFacts } from "../../artifacts/combine.js";
import { factsForReview } from "../../artifacts/for-review.js";
import { type ScanResult, scanFiles } from "../../artifacts/scan.js";
import type { FileFact } from "../../core/facts/state.js";
import type { Question } from "../../core/knowledge/schema.js";
import { type Progress, questionsNoLongerAsked } from "../../core/review/engine.js";
import { factsOf } from "../../core/review/walk.js";
import { maskSecrets } from "../../core/secrets/mask.js";
import { evidenceOf, filesReadMessage } from "../blocks/files.js";
import { noticeMessage } from "../blocks/help.js";
import { answeredMessage } from "../blocks/question.js";
import type { Notify, SlackDeps } from "../deps.js";
import { askedMessage, filesKey, planFilesReply, reviewLane } from "../outbox.js";
import { catchUp, type FollowUp } from "../review-flow.js";
import { escapeMrkdwn } from "../text/escape.js";
import { readSharedFiles } from "./download.js";

/** Files shared in Slack, downloaded and read by the same parsers as `threatbot review --from`. */
export async function scanShared(
  deps: Pick<SlackDeps, "filesUrl" | "api">,
  shared: readonly { id: string }[],
): Promise<ScanResult> {
  // The client without retries: a request waits on these calls, and Slack retries it itself.
  const read = await readSharedFiles(deps.api, shared, { filesUrl: deps.filesUrl });
  const scan = await scanFiles(read.files);
  return { ...scan, problems: await maskedProblems(scan), refused: [...read.refused, ...scan.refused] };
}

/** A parser's message may quote the line it stopped at: mask it before it is stored or shown. */
async function maskedProblems(scan: ScanResult): Promise<ScanResult["problems"]> {
  if (scan.problems.length === 0) return scan.problems;
  const { text } = await maskSecrets(scan.problems.map((p) => p.message.replace(/\n/g, " ")).join("\n"));
  const lines = text.split("\n");
  return scan.problems.map((p, i) => ({ ...p, message: lines[i] ?? "" }));
}

export interface SharedInThread {
  reviewId: number;
  teamId: string;
  channel: string;
  /** The message that shared the files: with the channel it names the upload, so a retry reads nothing twice. */
  ts: string;
  user: string;
  files: readonly { id: string }[];
  notify: Notify;
}

/**
 * Files shared in a review's thread: read, then stored with the review, with the thread's reply
 * about them planned in the same transaction (before the next question, which is planned only if
 * the files answered the current one). Resolves once that is committed.
 */
export async function storeSharedFiles(deps: SlackDeps, req: SharedInThread): Promise<FollowUp> {
  const key = filesKey(req.teamId, req.channel, req.ts);
  if (deps.reviews.recorded(key)) return async () => catchUp(deps, req.reviewId);
  const scan = await scanShared(deps, req.files);
  const fresh: FileFact[] = factsForReview(scan);
  const lane = reviewLane(req.reviewId);
  // The open question, when these files answer it: its message stops offering buttons.
  let answered: { q: Question; progress: Progress; evidence: string } | undefined;
  const outcome = await deps.reviews.addFiles({
    reviewId: req.reviewId,
    actor: req.user,
    idempotencyKey: key,
    merge: (held) => combineFileFacts([...held, ...fresh]),
    alongside: ({ before, after, conflicts }) => {
      const loc = after.review.slack;
      if (!loc) return;
      const settled = questionsNoLongerAsked(deps.kb, before.state, after.state);
      const open = before.question;
      if (open && settled.some((q) => q.id === open.id)) {
        const facts = new Set(factsOf(open));
        const lines = after.state.fileFacts.filter((f) => facts.has(f.fact)).map(evidenceOf);
        answered = { q: open, progress: before.progress, evidence: lines.join("; ") };
      }
      planFilesReply(deps.deliveries, {
        key,
        reviewId: req.reviewId,
        channel: loc.channelId,
        message: filesReadMessage({
          sharedBy: req.user,
          shared: req.files.length,
          read: scan.files.map((f) => f.file),
          facts: fresh,
          problems: scan.problems,
          refused: scan.refused,
          settled,
          conflicts,
          platformNote: scan.platform?.note,
        }),
      });
    },
  });
  return async () => {
    if (outcome.status === "rejected") {
      await req.notify(noticeMessage(`Files were not added: ${escapeMrkdwn(outcome.message)}`));
      return;
    }
    if (outcome.status === "duplicate") {
      catchUp(deps, req.reviewId);
      return;
    }
    deps.worker.kick(lane);
    const where = answered && askedMessage(deps.deliveries, req.reviewId, answered.q.id);
    if (!answered || !where) return;
    const msg = answeredMessage(
      answered.q,
      answered.progress,
      `From the files: ${answered.evidence}`,
      req.user,
    );
    // Cosmetic, like every update of an answered question: tried once, never holding anything up.
    try {
      await deps.api.chat.update({ channel: where.channelId, ts: where.ts, ...msg });
    } catch (e) {
      deps.log.warn({ err: e }, "could not update a question the files answered");
    }
  };
}
