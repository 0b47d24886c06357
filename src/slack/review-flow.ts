import { z } from "zod";
import { NotFoundError } from "../core/errors.js";
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
import { maskSecrets } from "../core/secrets/mask.js";
import { Severity } from "../core/threats/model.js";
import type { PostedMessage } from "../storage/slack-store.js";
import { noticeMessage } from "./blocks/help.js";
import type { ReviewRow } from "./blocks/home.js";
import type { SlackMessage } from "./blocks/kit.js";
import { answerLabel, progressLabel } from "./blocks/labels.js";
import {
  answeredMessage,
  finishedHereMessage,
  questionMessage,
  wentBackMessage,
  withdrawnMessage,
} from "./blocks/question.js";
import { rootMessage, summaryMessage } from "./blocks/review.js";
import type { Notify, SlackDeps, WebClient } from "./deps.js";
import { NOT_VISIBLE, SlackUserError } from "./errors.js";
import { actorMention, escapeMrkdwn, oneLine } from "./text/escape.js";
import { clip, clipMrkdwn } from "./text/limits.js";

/*
 * The path of one answer through Slack: the core stores it (its transaction commits before the
 * call returns), then the question's message is updated and the next question posted. Posting is
 * keyed by the point the review's log has reached, claimed in the database, so a retry, a double
 * click or a second process posts each question once.
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

/** Private channels, DMs and channels we cannot look up are treated as private: fail closed. */
async function channelIsPrivate(deps: SlackDeps, client: WebClient, channel: string): Promise<boolean> {
  try {
    const info = await client.conversations.info({ channel });
    const c = info.channel;
    return !(c && c.is_private === false && !c.is_im && !c.is_mpim);
  } catch (e) {
    deps.log.info({ channel, reason: (e as Error).message }, "channel lookup failed; treating it as private");
    return true;
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
  /** The trigger or view id the request came with: a redelivered request starts nothing. */
  dedupeKey: string;
}

/**
 * Start a review in a channel: the thread's first message goes out first, so a channel the bot
 * cannot post in leaves no orphan review behind.
 */
export async function startReviewInChannel(
  deps: SlackDeps,
  client: WebClient,
  req: StartRequest,
  notify: Notify,
): Promise<void> {
  if (!deps.slack.claim(req.dedupeKey, { channelId: req.channelId })) return;
  let rootTs: string | undefined;
  let reviewId: number | undefined;
  try {
    const channelPrivate = await channelIsPrivate(deps, client, req.channelId);
    // The core masks secrets in the name as it stores it; the first message must not show one either.
    const shownName = (await maskSecrets(req.name)).text;
    const base = { name: shownName, workload: req.workload, startedBy: req.userId };
    const root = await client.chat.postMessage({ channel: req.channelId, ...rootMessage(base) });
    rootTs = root.ts;
    if (!rootTs) throw new Error("chat.postMessage returned no ts");
    const started = await deps.reviews.start({
      name: req.name,
      workload: req.workload,
      actor: req.userId,
      origin: "slack",
      slack: { teamId: req.teamId, channelId: req.channelId, channelPrivate, threadTs: rootTs },
      prefill: req.prefill,
    });
    reviewId = started.view.review.id;
    const ts = rootTs;
    const id = reviewId;
    await bestEffort(deps, "root message", () =>
      client.chat.update({
        channel: req.channelId,
        ts,
        ...rootMessage({ ...base, name: started.view.review.name, reviewId: id }),
      }),
    );
    for (const w of started.warnings) await notify(noticeMessage(`:warning: ${escapeMrkdwn(w)}`));
    await sync(deps, client, reviewId, req.userId);
  } catch (e) {
    if (reviewId === undefined) {
      deps.slack.release(req.dedupeKey);
      const ts = rootTs;
      if (ts) await bestEffort(deps, "remove root", () => client.chat.delete({ channel: req.channelId, ts }));
    }
    throw e;
  }
}

type Snapshot =
  | { kind: "none" }
  | { kind: "ask"; key: string; claimed: boolean; view: ReviewView }
  | { kind: "summary"; key: string; claimed: boolean; view: ReviewView }
  | { kind: "finish"; key: string };

/**
 * Bring the thread up to date with the stored review: ask the current question, or finish the
 * review once every question is answered, or post the summary and report of a finished review.
 * Each of those is claimed under the log position it belongs to, so it happens once.
 */
export async function sync(
  deps: SlackDeps,
  client: WebClient,
  reviewId: number,
  actor: string,
): Promise<void> {
  for (let step = 0; step < 3; step++) {
    const snap = deps.store.transaction((): Snapshot => {
      const view = deps.reviews.view(reviewId);
      const loc = view.review.slack;
      if (!loc?.threadTs) return { kind: "none" };
      const at = deps.slack.eventCount(reviewId);
      if (view.review.status === "finished") {
        const key = `summary:${reviewId}:${deps.store.latestVersion(reviewId)}`;
        return {
          kind: "summary",
          key,
          view,
          claimed: deps.slack.claim(key, { reviewId, channelId: loc.channelId }),
        };
      }
      if (view.question) {
        const key = `ask:${reviewId}:${at}`;
        const claimed = deps.slack.claim(key, {
          reviewId,
          questionId: view.question.id,
          channelId: loc.channelId,
        });
        return { kind: "ask", key, view, claimed };
      }
      return { kind: "finish", key: `finish:${reviewId}:${at}` };
    });
    switch (snap.kind) {
      case "none":
        return;
      case "ask":
        if (snap.claimed) await askQuestion(deps, client, snap.view, snap.key);
        return;
      case "summary":
        if (snap.claimed) await postSummary(deps, client, snap.view, snap.key);
        return;
      case "finish":
        // Every question is answered: the last answer finishes the review.
        deps.reviews.finish(reviewId, actor, snap.key);
    }
  }
}

async function postClaimed(
  deps: SlackDeps,
  client: WebClient,
  key: string,
  where: { channel: string; thread_ts: string },
  message: SlackMessage,
): Promise<PostedMessage> {
  try {
    const posted = await client.chat.postMessage({ ...where, text: message.text, blocks: message.blocks });
    if (!posted.ts) throw new Error("chat.postMessage returned no ts");
    const result = { channelId: where.channel, ts: posted.ts };
    deps.slack.setMessage(key, result);
    return result;
  } catch (e) {
    deps.slack.release(key);
    throw e;
  }
}

async function askQuestion(deps: SlackDeps, client: WebClient, view: ReviewView, key: string): Promise<void> {
  const loc = view.review.slack;
  const question = view.question;
  if (!loc?.threadTs || !question) return;
  await postClaimed(
    deps,
    client,
    key,
    { channel: loc.channelId, thread_ts: loc.threadTs },
    questionMessage({
      reviewId: view.review.id,
      question,
      progress: view.progress,
      canGoBack: view.state.answers.length > 0,
    }),
  );
}

async function postSummary(deps: SlackDeps, client: WebClient, view: ReviewView, key: string): Promise<void> {
  const loc = view.review.slack;
  if (!loc?.threadTs) return;
  const threadTs = loc.threadTs;
  const fm = deps.reviews.threatModel(view.review.id);
  await postClaimed(
    deps,
    client,
    key,
    { channel: loc.channelId, thread_ts: threadTs },
    summaryMessage(fm.model),
  );
  await uploadReport(client, { channelId: loc.channelId, threadTs, fm, format: "md" });
  await bestEffort(deps, "root message", () =>
    client.chat.update({
      channel: loc.channelId,
      ts: threadTs,
      ...rootMessage({
        reviewId: view.review.id,
        name: view.review.name,
        workload: view.review.workload,
        startedBy: view.review.createdBy,
        finished: { bySeverity: fm.model.summary.bySeverity, openQuestions: fm.model.summary.openQuestions },
      }),
    }),
  );
}

export type ExportFormat = "md" | "json";

/** Post a threat model as a file: Markdown for people, JSON for tools. Long content lives here, not in blocks. */
export async function uploadReport(
  client: WebClient,
  opts: {
    channelId: string;
    threadTs?: string | undefined;
    fm: FinishedModel;
    format: ExportFormat;
    comment?: string;
  },
): Promise<void> {
  const { model } = opts.fm;
  const draft = model.review.status !== "finished";
  const content = opts.format === "json" ? `${JSON.stringify(model, null, 2)}\n` : opts.fm.markdown;
  const filename = `threat-model-${model.review.id}-v${opts.fm.version}${draft ? "-draft" : ""}.${opts.format}`;
  const common = {
    file: Buffer.from(content, "utf8"),
    filename,
    title: clip(`Threat model #${model.review.id}: ${oneLine(model.review.name)}`, 250),
    ...(opts.comment ? { initial_comment: opts.comment } : {}),
  };
  await client.files.uploadV2(
    opts.threadTs
      ? { ...common, channel_id: opts.channelId, thread_ts: opts.threadTs }
      : { ...common, channel_id: opts.channelId },
  );
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
  req: ActRequest & { value: AnswerValue; message?: PostedMessage | undefined },
): Promise<FollowUp> {
  openVisible(deps, req.reviewId, req.viewer);
  const outcome = await deps.reviews.answer({
    reviewId: req.reviewId,
    questionId: req.questionId,
    value: req.value,
    actor: req.userId,
    idempotencyKey: req.key,
  });
  return (client) => afterAnswer(deps, client, req, outcome);
}

async function afterAnswer(
  deps: SlackDeps,
  client: WebClient,
  req: ActRequest & { message?: PostedMessage | undefined },
  outcome: Outcome,
): Promise<void> {
  switch (outcome.status) {
    case "recorded": {
      const view = outcome.view;
      const rec = answerOf(view.state, req.questionId);
      const q = deps.kb.question(req.questionId);
      const where = deps.slack.askedMessage(req.reviewId, req.questionId) ?? req.message;
      if (rec && q && where) {
        const msg = answeredMessage(q, numberOf(deps, view, q.id), answerLabel(q, rec.value), rec.actor);
        await bestEffort(deps, "answered message", () =>
          client.chat.update({ channel: where.channelId, ts: where.ts, ...msg }),
        );
      }
      for (const w of outcome.warnings) await req.notify(noticeMessage(`:warning: ${escapeMrkdwn(w)}`));
      await sync(deps, client, req.reviewId, req.userId);
      return;
    }
    case "duplicate": {
      // The same click or message again. Someone else pressing the same button learns who was first.
      const rec = answerOf(outcome.view.state, req.questionId);
      if (rec && rec.actor !== req.userId)
        await req.notify(noticeMessage(alreadyAnswered(deps, outcome.view, req.questionId)));
      await sync(deps, client, req.reviewId, req.userId);
      return;
    }
    case "rejected":
      await req.notify(noticeMessage(rejection(deps, outcome, req.questionId)));
      // A click on an answered question may be someone finding the thread stuck: bring it up to date.
      await sync(deps, client, req.reviewId, req.userId);
  }
}

/** Undo the last answer; allowed only from the current question's message, so an old message cannot undo a later answer. */
export function storeBack(deps: SlackDeps, req: ActRequest): FollowUp {
  const before = openVisible(deps, req.reviewId, req.viewer);
  if (deps.store.seen(req.key) !== undefined) return (client) => sync(deps, client, req.reviewId, req.userId);
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
  const outcome = deps.reviews.back(req.reviewId, req.userId, req.key);
  return async (client) => {
    if (outcome.status === "rejected") {
      await req.notify(noticeMessage(escapeMrkdwn(outcome.message)));
      return;
    }
    if (outcome.status === "recorded") {
      const q = deps.kb.question(req.questionId);
      const here = deps.slack.askedMessage(req.reviewId, req.questionId);
      if (q && here) {
        const msg = wentBackMessage(q, numberOf(deps, before, q.id), req.userId);
        await bestEffort(deps, "went-back message", () =>
          client.chat.update({ channel: here.channelId, ts: here.ts, ...msg }),
        );
      }
      const uq = undone && deps.kb.question(undone.questionId);
      const there = undone && deps.slack.askedMessage(req.reviewId, undone.questionId);
      if (undone && uq && there) {
        const msg = withdrawnMessage(uq, answerLabel(uq, undone.value), req.userId);
        await bestEffort(deps, "withdrawn message", () =>
          client.chat.update({ channel: there.channelId, ts: there.ts, ...msg }),
        );
      }
    }
    await sync(deps, client, req.reviewId, req.userId);
  };
}

/** Finish now: unanswered questions become open questions; the summary and report follow. */
export function storeFinish(deps: SlackDeps, req: ActRequest): FollowUp {
  const before = openVisible(deps, req.reviewId, req.viewer);
  const { outcome } = deps.reviews.finish(req.reviewId, req.userId, req.key);
  return async (client) => {
    if (outcome.status === "rejected") {
      await req.notify(noticeMessage(rejection(deps, outcome, req.questionId)));
      return;
    }
    if (outcome.status === "duplicate") {
      // The same Finish button again: a double click stays quiet, someone else learns it is done.
      const finisher = [...deps.store.events(req.reviewId)].reverse().find((e) => e.type === "finish")?.actor;
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
      const here = deps.slack.askedMessage(req.reviewId, req.questionId);
      if (q && here && before.question?.id === q.id) {
        const msg = finishedHereMessage(q, numberOf(deps, before, q.id), req.userId);
        await bestEffort(deps, "finished message", () =>
          client.chat.update({ channel: here.channelId, ts: here.ts, ...msg }),
        );
      }
    }
    await sync(deps, client, req.reviewId, req.userId);
  };
}

const StoredSummary = z.object({ summary: z.object({ bySeverity: z.record(Severity, z.number()) }) });

/** Reviews this viewer may open, newest first, as lists show them. */
export function reviewRows(deps: SlackDeps, viewer: Viewer, limit: number): ReviewRow[] {
  return deps.reviews
    .list({ viewer, limit })
    .filter((r) => visibleTo(r, viewer))
    .map((r) => {
      const stored = deps.store.threatModel(r.id);
      const parsed = stored ? StoredSummary.safeParse(JSON.parse(stored.json)) : undefined;
      return {
        id: r.id,
        name: r.name,
        workload: r.workload,
        status: r.status,
        channelId: r.slack?.channelId,
        progress: r.status === "in_progress" ? progressLabel(deps.reviews.view(r.id).progress) : undefined,
        bySeverity: parsed?.success ? parsed.data.summary.bySeverity : undefined,
      };
    });
}
