import { NotFoundError } from "../core/errors.js";
import type { FileFact } from "../core/facts/state.js";
import type { Workload } from "../core/knowledge/schema.js";
import { answerOf, applicableQuestions, type Progress } from "../core/review/engine.js";
import type { AnswerValue } from "../core/review/events.js";
import {
  type FinishedModel,
  type Outcome,
  type ReviewView,
  type Viewer,
  visibleTo,
} from "../core/review/service.js";
import { noticeMessage } from "./blocks/help.js";
import type { ReviewRow } from "./blocks/home.js";
import { answerLabel, progressLabel } from "./blocks/labels.js";
import {
  answeredMessage,
  finishedHereMessage,
  wentBackMessage,
  withdrawnMessage,
} from "./blocks/question.js";
import type { Notify, SlackDeps, WebClient } from "./deps.js";
import { NOT_VISIBLE, SlackUserError } from "./errors.js";
import { askedMessage, planExport, replan, reviewLane } from "./outbox.js";
import { type ExportFormat, reportFile } from "./report-file.js";
import { actorMention, escapeMrkdwn, oneLine } from "./text/escape.js";

export type { ExportFormat };

import { clipMrkdwn } from "./text/limits.js";

/*
 * The path of one answer through Slack: the core stores it, and in the same transaction the outbox
 * plans the next question (see outbox.ts); only then is Slack acknowledged. After the ack the
 * outbox worker posts what was planned, and the answered question's message is updated (cosmetic,
 * best effort, never holding up the next question).
 */

/** The review if this viewer may see it; otherwise a refusal that does not say whether it exists. */
export function openVisible(deps: SlackDeps, reviewId: number, viewer: Viewer): ReviewView {
  try {
    return deps.reviews.view(reviewId, viewer);
  } catch (e) {
    if (e instanceof NotFoundError) throw new SlackUserError(NOT_VISIBLE(reviewId));
    throw e;
  }
}

/** Message updates are cosmetic next to the stored answer: a failure is logged and the flow goes on. */
async function bestEffort(deps: SlackDeps, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    deps.log.warn({ what, err: e }, "could not update a message");
  }
}

function numberOf(deps: SlackDeps, view: ReviewView, questionId: string): Progress {
  const qs = applicableQuestions(deps.kb, view.state);
  const i = qs.findIndex((q) => q.id === questionId);
  return { index: i >= 0 ? i + 1 : qs.length, total: qs.length, answered: view.progress.answered };
}

export interface StartRequest {
  teamId: string;
  channelId: string;
  userId: string;
  name: string;
  workload: Workload;
  prefill?: Record<string, AnswerValue>;
  /** Facts read from files given with the request (the start modal's file input). */
  fileFacts?: readonly FileFact[];
  /** The trigger or view id the request came with: a redelivered request starts nothing. */
  dedupeKey: string;
  notify: Notify;
}

/**
 * Start a review in a channel. The review, its first answers and the thread's first message (as a
 * pending delivery) are stored before the request is acknowledged; the outbox then posts the first
 * message and the first question. The channel counts as private until the outbox has looked it up.
 */
export async function storeStart(deps: SlackDeps, req: StartRequest): Promise<FollowUp> {
  let started: Awaited<ReturnType<SlackDeps["reviews"]["start"]>>;
  try {
    started = await deps.reviews.start({
      name: req.name,
      workload: req.workload,
      actor: req.userId,
      origin: "slack",
      slack: { teamId: req.teamId, channelId: req.channelId, channelPrivate: true },
      prefill: req.prefill,
      fileFacts: req.fileFacts,
      // Claimed in the same transaction as the review: a redelivered request starts nothing.
      guard: () => {
        if (!deps.reviews.claim(req.dedupeKey, { channelId: req.channelId })) throw new AlreadyStarted();
      },
    });
  } catch (e) {
    if (e instanceof AlreadyStarted) return async () => {};
    throw e;
  }
  const reviewId = started.view.review.id;
  return async () => {
    deps.worker.kick(reviewLane(reviewId));
    for (const w of started.warnings) await req.notify(noticeMessage(`:warning: ${escapeMrkdwn(w)}`));
  };
}

class AlreadyStarted extends Error {}

/**
 * Bring the thread up to date with the stored review: plan what it is missing and send it again,
 * including deliveries given up on before. A click on an answered question lands here, so a
 * review can always be continued.
 */
export function catchUp(deps: SlackDeps, reviewId: number): void {
  deps.worker.kick(replan(deps.deliveries, reviewId));
}

/** Queue an export of a review's model into the channel; a repeated trigger exports once. */
export function storeExport(
  deps: SlackDeps,
  req: {
    teamId: string;
    triggerId: string;
    channelId: string;
    reviewId: number;
    format: ExportFormat;
    viewer: Viewer;
  },
): FollowUp {
  openVisible(deps, req.reviewId, req.viewer);
  const lane = planExport(deps.deliveries, req);
  return async () => deps.worker.kick(lane);
}

/** Slack calls after a change the outbox already planned: the thread's worker takes it from here. */
function sendPlanned(deps: SlackDeps, reviewId: number): void {
  deps.worker.kick(reviewLane(reviewId));
}

/** Post a threat model as a file straight away (the App Home's export to a DM). */
export async function uploadReport(
  client: WebClient,
  opts: { channelId: string; fm: FinishedModel; format: ExportFormat },
): Promise<void> {
  const file = reportFile(opts.fm, opts.format);
  await client.files.uploadV2({
    file: Buffer.from(file.content, "utf8"),
    filename: file.filename,
    title: file.title,
    channel_id: opts.channelId,
  });
}

export interface ActRequest {
  reviewId: number;
  questionId: string;
  userId: string;
  /** Derived from the Slack action or message, so a retry or double click records once. */
  key: string;
  viewer: Viewer;
  notify: Notify;
}

function alreadyAnswered(deps: SlackDeps, view: ReviewView, questionId: string): string {
  const rec = answerOf(view.state, questionId);
  if (!rec) return "That question was already answered.";
  const label = answerLabel(deps.kb.question(questionId), rec.value);
  return `Already answered by ${actorMention(rec.actor)}: *${clipMrkdwn(oneLine(label), 500)}*`;
}

function rejection(
  deps: SlackDeps,
  outcome: Extract<Outcome, { status: "rejected" }>,
  questionId: string,
): string {
  switch (outcome.reason) {
    case "already-answered":
      return alreadyAnswered(deps, outcome.view, questionId);
    case "finished":
      return `Review #${outcome.view.review.id} is finished. See it with \`/threatmodel show ${outcome.view.review.id}\`, or start a new one with \`/threatmodel\`.`;
    case "not-current":
      return "That question is not the current one any more; answer the latest question in the thread.";
    default:
      return escapeMrkdwn(outcome.message);
  }
}

/** What is left to do after the ack, once the state change is committed: Slack calls only. */
export type FollowUp = (client: WebClient) => Promise<void>;

/**
 * Run the storing part of a request before the ack. A failure becomes a follow-up that reports it,
 * so the request is still acknowledged and the person is told what went wrong.
 */
export async function storeFirst(store: () => Promise<FollowUp> | FollowUp): Promise<FollowUp> {
  try {
    return await store();
  } catch (e) {
    return async () => {
      throw e;
    };
  }
}

/** Store an answer (committed when this resolves); the follow-up shows it and asks the next question. */
export async function storeAnswer(
  deps: SlackDeps,
  req: ActRequest & { value: AnswerValue; message?: { channelId: string; ts: string } | undefined },
): Promise<FollowUp> {
  openVisible(deps, req.reviewId, req.viewer);
  // Where the question was asked, read before the answer can plan (and the worker post) it again.
  const where = askedMessage(deps.deliveries, req.reviewId, req.questionId) ?? req.message;
  const outcome = await deps.reviews.answer({
    reviewId: req.reviewId,
    questionId: req.questionId,
    value: req.value,
    actor: req.userId,
    idempotencyKey: req.key,
  });
  return () => afterAnswer(deps, { ...req, message: where }, outcome);
}

async function afterAnswer(
  deps: SlackDeps,
  req: ActRequest & { message?: { channelId: string; ts: string } | undefined },
  outcome: Outcome,
): Promise<void> {
  switch (outcome.status) {
    case "recorded": {
      // The next question was planned with the answer; it goes out without waiting for the update below.
      sendPlanned(deps, req.reviewId);
      const view = outcome.view;
      const rec = answerOf(view.state, req.questionId);
      const q = deps.kb.question(req.questionId);
      const where = req.message;
      if (rec && q && where) {
        const msg = answeredMessage(q, numberOf(deps, view, q.id), answerLabel(q, rec.value), rec.actor);
        await bestEffort(deps, "answered message", () =>
          deps.api.chat.update({ channel: where.channelId, ts: where.ts, ...msg }),
        );
      }
      for (const w of outcome.warnings) await req.notify(noticeMessage(`:warning: ${escapeMrkdwn(w)}`));
      return;
    }
    case "duplicate": {
      // The same click or message again. Someone else pressing the same button learns who was first.
      const rec = answerOf(outcome.view.state, req.questionId);
      if (rec && rec.actor !== req.userId)
        await req.notify(noticeMessage(alreadyAnswered(deps, outcome.view, req.questionId)));
      catchUp(deps, req.reviewId);
      return;
    }
    case "rejected":
      await req.notify(noticeMessage(rejection(deps, outcome, req.questionId)));
      // A click on an answered question may be someone finding the thread stuck: bring it up to date.
      catchUp(deps, req.reviewId);
  }
}

/** Undo the last answer; allowed only from the current question's message, so an old message cannot undo a later answer. */
export function storeBack(deps: SlackDeps, req: ActRequest): FollowUp {
  const before = openVisible(deps, req.reviewId, req.viewer);
  if (deps.reviews.recorded(req.key)) return async () => catchUp(deps, req.reviewId);
  if (before.review.status === "finished" || before.question?.id !== req.questionId) {
    return () =>
      req.notify(
        noticeMessage(
          before.review.status === "finished"
            ? `Review #${req.reviewId} is finished; there is no going back.`
            : "That question is not the current one any more; use Back on the latest question.",
        ),
      );
  }
  const undone = before.state.answers.at(-1);
  const here = askedMessage(deps.deliveries, req.reviewId, req.questionId);
  const there = undone && askedMessage(deps.deliveries, req.reviewId, undone.questionId);
  const outcome = deps.reviews.back(req.reviewId, req.userId, req.key);
  return async () => {
    sendPlanned(deps, req.reviewId);
    if (outcome.status === "rejected") {
      await req.notify(noticeMessage(escapeMrkdwn(outcome.message)));
      return;
    }
    if (outcome.status === "recorded") {
      const q = deps.kb.question(req.questionId);
      if (q && here) {
        const msg = wentBackMessage(q, numberOf(deps, before, q.id), req.userId);
        await bestEffort(deps, "went-back message", () =>
          deps.api.chat.update({ channel: here.channelId, ts: here.ts, ...msg }),
        );
      }
      const uq = undone && deps.kb.question(undone.questionId);
      if (undone && uq && there) {
        const msg = withdrawnMessage(uq, answerLabel(uq, undone.value), req.userId);
        await bestEffort(deps, "withdrawn message", () =>
          deps.api.chat.update({ channel: there.channelId, ts: there.ts, ...msg }),
        );
      }
    }
  };
}

/** Finish now: unanswered questions become open questions; the summary and report follow. */
export function storeFinish(deps: SlackDeps, req: ActRequest): FollowUp {
  const before = openVisible(deps, req.reviewId, req.viewer);
  const here = askedMessage(deps.deliveries, req.reviewId, req.questionId);
  const { outcome } = deps.reviews.finish(req.reviewId, req.userId, req.key);
  return async () => {
    sendPlanned(deps, req.reviewId);
    if (outcome.status === "rejected") {
      await req.notify(noticeMessage(rejection(deps, outcome, req.questionId)));
      return;
    }
    if (outcome.status === "duplicate") {
      // The same Finish button again: a double click stays quiet, someone else learns it is done.
      const finisher = deps.reviews.finishedBy(req.reviewId);
      if (finisher && finisher !== req.userId) {
        await req.notify(
          noticeMessage(
            rejection(
              deps,
              { ...outcome, status: "rejected", reason: "finished", message: "" },
              req.questionId,
            ),
          ),
        );
      }
    }
    if (outcome.status === "recorded") {
      const q = deps.kb.question(req.questionId);
      if (q && here && before.question?.id === q.id) {
        const msg = finishedHereMessage(q, numberOf(deps, before, q.id), req.userId);
        await bestEffort(deps, "finished message", () =>
          deps.api.chat.update({ channel: here.channelId, ts: here.ts, ...msg }),
        );
      }
    }
  };
}

/** Reviews this viewer may open, newest first, as lists show them. */
export function reviewRows(deps: SlackDeps, viewer: Viewer, limit: number): ReviewRow[] {
  return deps.reviews
    .listWithCounts({ viewer, limit })
    .filter((r) => visibleTo(r, viewer))
    .map((r) => ({
      id: r.id,
      name: r.name,
      workload: r.workload,
      status: r.status,
      channelId: r.slack?.channelId,
      progress: r.status === "in_progress" ? progressLabel(deps.reviews.view(r.id).progress) : undefined,
      bySeverity: r.bySeverity,
    }));
}
