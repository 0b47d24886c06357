/**
 * `npm run test:faults`: the built app in its own process, in HTTP mode, against the fake Slack on
 * 127.0.0.1. It is killed with SIGKILL at random moments and restarted, sent duplicate, retried and
 * hostile signed requests, served slow, rate-limited and failing Web API answers, and fed every
 * secret format; then the database and everything Slack was sent are checked. Bounded in count and
 * time; every figure is printed, and the exit code is 1 when a guarantee does not hold.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openThreatbot } from "../../src/core/open.js";
import { QuestionRef } from "../../src/slack/ids.js";
import { clickKey } from "../../src/slack/listeners/actions/click.js";
import { FIXTURE_KB } from "../support/core.js";
import { type Block, FakeSlack, type Message } from "../support/fake-slack.js";
import { SECRET_SAMPLES } from "../support/secret-samples.js";
import {
  buttonPayload,
  commandBody,
  eventEnvelope,
  FORM,
  interactionBody,
  JSON_TYPE,
  postToApp,
  type SlackHttpResponse,
  viewSubmissionPayload,
  type Who,
} from "../support/slack-requests.js";
import { type AppProcess, startApp } from "./app-process.js";

const KILLS = Number(process.env.FAULT_KILLS ?? 100);
const HOSTILE = Number(process.env.FAULT_HOSTILE ?? 10_000);
const BOT_TOKEN = "xoxb-fault-suite-bot-token";
const SECRET = "faultsuitesigningsecret0123456789";
const TEAM = "T0FAKE";
const C = "C0PUBLIC";
const who: Who = { team: TEAM, channel: C, user: "U0ALICE" };

/** xorshift32, seeded, so a run can be repeated exactly (FAULT_SEED). */
let seed = Number(process.env.FAULT_SEED ?? 20261130) >>> 0 || 1;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 0x1_0000_0000;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), "threatbot-faults-"));
const dbPath = join(dir, "threatbot.db");
const fake = await FakeSlack.start({
  botToken: BOT_TOKEN,
  teamId: TEAM,
  channels: { [C]: { isPrivate: false, member: true } },
});
const output: string[] = [];
const env = (level = "warn") => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: fake.apiUrl,
  THREATBOT_DB: dbPath,
  THREATBOT_KNOWLEDGE: FIXTURE_KB,
  LOG_LEVEL: level,
});

const figures = {
  kills: 0,
  acknowledgedAnswers: 0,
  acknowledgedStarts: 0,
  lost: 0,
  stalled: 0,
  duplicates: 0,
  crashes: 0,
  http5xx: 0,
  hostileRequests: 0,
  hostileNoAnswer: 0,
  secretsInClear: 0,
  sigtermMs: 0,
  slowPostDuplicates: 0,
  firstCommandAfterSlowStart: 0,
};
/** Answers the app acknowledged (HTTP 200 on a click on the current, unanswered question), by idempotency key. */
const acked = new Map<string, { reviewId: number; questionId: string }>();
const ackedStarts = new Set<string>();
const answeredHere = new Set<string>();

let app!: AppProcess;
let appDied = false;
async function launch(level?: string): Promise<void> {
  app = await startApp(env(level), output);
  appDied = false;
  void app.exited.then(() => {
    appDied = true;
  });
}

const send = (body: string, type: string, headers?: Record<string, string>) =>
  postToApp(app.url, body, type, { secret: SECRET, headers }, 5000);

function count5xx(r: SlackHttpResponse): SlackHttpResponse {
  if (r.status >= 500) figures.http5xx++;
  return r;
}

const buttonsOf = (m: Message): Block[] =>
  m.blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements as Block[]);
const refOf = (b: Block) => {
  try {
    const r = QuestionRef.safeParse(JSON.parse(String(b.value ?? "")));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
};
const roots = () => fake.messages.filter((m) => m.channel === C && !m.threadTs);
const reviewIdOf = (root: Message) => Number(/#(\d+)/.exec(root.text)?.[1] ?? 0);

/** The open question of a review as its thread shows it: the newest message with answer buttons. */
function openQuestion(root: Message): { message: Message; buttons: Block[]; q: string } | undefined {
  const thread = fake.messages.filter((m) => m.threadTs === root.ts);
  for (let i = thread.length - 1; i >= 0; i--) {
    const m = thread[i] as Message;
    const buttons = buttonsOf(m).filter((b) => refOf(b));
    const q = buttons.map(refOf)[0]?.q;
    if (q) return { message: m, buttons, q };
  }
  return undefined;
}

async function startReview(name: string, track = true): Promise<void> {
  const trigger = randomUUID();
  const r = count5xx(
    await send(commandBody(who, `new serverless ${name}`, fake.responseUrl(), trigger), FORM),
  );
  if (r.status === 200 && track) ackedStarts.add(name);
}

/** Answer the open question of one review, the way a person would, and remember what was acknowledged. */
async function answerOne(root: Message): Promise<void> {
  const open = openQuestion(root);
  if (!open) return;
  const reviewId = reviewIdOf(root);
  const answerButtons = open.buttons.filter((b) => /^tb_(option_\d+|unsure|skip)$/.test(String(b.action_id)));
  if (answerButtons.length === 0) return;
  const b = pick(answerButtons);
  const payload = buttonPayload(
    who,
    { ts: open.message.ts, threadTs: open.message.threadTs },
    b as never,
    fake.responseUrl(),
  );
  const key = clickKey(
    {
      teamId: TEAM,
      userId: who.user,
      triggerId: "",
      channelId: C,
      messageTs: open.message.ts,
      actionId: String(b.action_id),
      value: b.value,
      ticked: {},
    },
    open.q,
  );
  const first = !answeredHere.has(`${reviewId}:${open.q}`);
  const r = count5xx(await send(interactionBody(payload), FORM));
  if (r.status === 200 && first) {
    answeredHere.add(`${reviewId}:${open.q}`);
    acked.set(key, { reviewId, questionId: open.q });
  }
}

/** Traffic while the app runs: new reviews and answers, a few at a time, until told to stop. */
async function traffic(untilMs: number, n: { next: number }): Promise<void> {
  const workers = Array.from({ length: 3 }, async () => {
    while (Date.now() < untilMs && !appDied) {
      try {
        const live = roots().filter((root) => openQuestion(root));
        if (live.length < 4 || rand() < 0.1) await startReview(`svc-${n.next++}`);
        else await answerOne(pick(live));
      } catch {
        // The process was killed mid-request: that is the point.
      }
    }
  });
  await Promise.all(workers);
}

/** Wait (bounded) until every review's thread shows its state, then count the ones that do not. */
async function checkConvergence(timeoutMs: number): Promise<{ stalled: number; lost: number }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = inspect(false);
    if ((r.stalled === 0 && r.lost === 0) || Date.now() > until) return inspect(!!process.env.FAULT_VERBOSE);
    await sleep(250);
  }
}

/** Lost answers and stalled reviews as the database and the fake Slack show them; `verbose` names each. */
function inspect(verbose: boolean): { stalled: number; lost: number } {
  const core = openThreatbot({ dbPath, knowledgeDir: FIXTURE_KB });
  try {
    let lost = 0;
    // A click acknowledged on a question that is answered counts as kept whoever's click stored it:
    // after a kill the thread may still show a question whose answer was stored but not acknowledged.
    const answered = core.store.db.prepare<[number, string], { n: number }>(
      "SELECT COUNT(*) AS n FROM review_events WHERE review_id = ? AND type = 'answer' AND question_id = ?",
    );
    for (const [key, a] of acked) {
      if ((answered.get(a.reviewId, a.questionId)?.n ?? 0) > 0) continue;
      lost++;
      if (verbose) {
        const r = core.store.getReview(a.reviewId);
        log(
          `  lost: ${key} review ${a.reviewId} (${r?.name}, ${r?.status}) events ${JSON.stringify(core.store.events(a.reviewId).map((e) => (e.type === "answer" ? e.questionId : e.type)))}`,
        );
      }
    }
    const names = new Set(core.reviews.list({ limit: 100_000 }).map((r) => r.name));
    for (const name of ackedStarts) if (!names.has(name)) lost++;
    const outboxOf = (reviewId: number) =>
      JSON.stringify(
        core.store.db.prepare("SELECT key, state, message_ts FROM outbox WHERE review_id = ?").all(reviewId),
      );
    let stalled = 0;
    for (const review of core.reviews.list({ limit: 100_000 })) {
      if (!review.slack) continue;
      const root = review.slack.threadTs
        ? fake.messages.find((m) => m.channel === C && m.ts === review.slack?.threadTs)
        : undefined;
      if (!root) {
        stalled++;
        if (verbose)
          log(`  stalled: review ${review.id} (${review.name}) has no thread; outbox ${outboxOf(review.id)}`);
        continue;
      }
      const view = core.reviews.view(review.id);
      if (review.status === "finished") {
        const summary = fake.messages.some(
          (m) => m.threadTs === root.ts && m.text.startsWith("Threat model for"),
        );
        const file = fake.fileMessages.some(
          (f) =>
            f.threadTs === root.ts && f.files.some((x) => x.name.startsWith(`threat-model-${review.id}-v`)),
        );
        if (!summary || !file) {
          stalled++;
          if (verbose)
            log(
              `  stalled: review ${review.id} (${review.name}) finished, summary ${summary}, file ${file}; outbox ${outboxOf(review.id)}`,
            );
        }
      } else if (openQuestion(root)?.q !== view.question?.id) {
        stalled++;
        if (verbose) {
          const events = core.store
            .events(review.id)
            .map((e) => (e.type === "answer" ? e.questionId : e.type));
          log(
            `  stalled: review ${review.id} (${review.name}) thread shows ${openQuestion(root)?.q}, engine asks ${view.question?.id}; events ${JSON.stringify(events)}; outbox ${outboxOf(review.id)}`,
          );
        }
      }
    }
    return { stalled, lost };
  } finally {
    core.close();
  }
}

/** Messages posted twice under one delivery key, and files shared twice into one thread. */
function duplicates(): number {
  const seen = new Map<string, number>();
  for (const m of fake.messages) {
    const key = m.metadata?.event_payload?.key;
    if (typeof key === "string") seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const f of fake.fileMessages) {
    const key = `${f.channel}:${f.threadTs}:${f.files.map((x) => x.name).join(",")}`;
    if (f.threadTs) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const twice = [...seen.entries()].filter(([, n]) => n > 1);
  if (process.env.FAULT_VERBOSE) for (const [key, n] of twice) log(`  posted ${n} times: ${key}`);
  return twice.reduce((sum, [, n]) => sum + (n - 1), 0);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const started = Date.now();
try {
  // 1. Random kill -9 with restart.
  await launch();
  const n = { next: 1 };
  for (let k = 0; k < KILLS; k++) {
    await traffic(Date.now() + 80 + rand() * 400, n);
    app.child.kill("SIGKILL");
    await app.exited;
    figures.kills++;
    await launch();
    if ((k + 1) % 25 === 0) log(`  ${k + 1} kills, ${acked.size} answers acknowledged so far`);
  }
  const afterKills = await checkConvergence(30_000);
  log(
    `kill -9 phase: ${figures.kills} kills, ${acked.size} acknowledged answers, ${ackedStarts.size} reviews started`,
  );

  // 2. Duplicates and retries: the same click 20 times at once, Slack's retry headers, a reply twice.
  await startReview("dupes");
  await fake.waitFor(
    "the dupes review",
    () => roots().find((r) => r.text.includes("dupes") && openQuestion(r)),
    20_000,
  );
  const dupRoot = roots().find((r) => r.text.includes("dupes")) as Message;
  const q = openQuestion(dupRoot);
  if (q) {
    const b = q.buttons.find((x) => String(x.action_id).startsWith("tb_option_")) ?? (q.buttons[0] as Block);
    const body = interactionBody(
      buttonPayload(who, { ts: q.message.ts, threadTs: q.message.threadTs }, b as never, fake.responseUrl()),
    );
    await Promise.all(Array.from({ length: 20 }, () => send(body, FORM).then(count5xx)));
    await send(body, FORM, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }).then(
      count5xx,
    );
  }
  const trigger = randomUUID();
  for (let i = 0; i < 3; i++) await send(commandBody(who, "new vm twice", fake.responseUrl(), trigger), FORM);

  // 3. A chat.postMessage that answers after 11 s (past the client's 10 s), then 429s and 500s.
  const before = duplicates();
  fake.fault("chat.postMessage", { delayMs: 11_000, rate: 1 });
  await startReview("slow-post");
  await sleep(500);
  fake.clearFaults();
  await fake.waitFor(
    "the slow review's first question",
    () => roots().find((r) => r.text.includes("slow-post") && openQuestion(r)),
    30_000,
  );
  await sleep(3000);
  figures.slowPostDuplicates = duplicates() - before;
  fake.fault("chat.update", { status: 429, retryAfterS: 16, rate: 0.5 });
  fake.fault("chat.postMessage", { status: 500, rate: 0.3 });
  await traffic(Date.now() + 4000, n);
  fake.clearFaults();

  // 4. SIGTERM while Slack fails every call.
  for (const m of [
    "chat.postMessage",
    "chat.update",
    "conversations.replies",
    "files.completeUploadExternal",
  ])
    fake.fault(m, { status: 500 });
  await traffic(Date.now() + 1500, n);
  const t0 = Date.now();
  app.child.kill("SIGTERM");
  const stopped = await Promise.race([app.exited, sleep(30_000).then(() => undefined)]);
  figures.sigtermMs = Date.now() - t0;
  if (!stopped) app.child.kill("SIGKILL");
  fake.clearFaults();

  // 5. Slow auth.test at start-up: the port opens only when ready, and the first command is served.
  fake.fault("auth.test", { delayMs: 4000 });
  await launch();
  fake.clearFaults();
  figures.firstCommandAfterSlowStart = (
    await send(commandBody(who, "new serverless after-slow-start", fake.responseUrl()), FORM)
  ).status;
  ackedStarts.add("after-slow-start");

  // 6. Hostile signed requests.
  const valid = [
    () =>
      buttonPayload(
        who,
        { ts: "1.1" },
        { action_id: "tb_skip", value: '{"r":1,"q":"context.description"}' },
        fake.responseUrl(),
      ),
    () =>
      viewSubmissionPayload(
        who,
        { id: "V1", callback_id: "tb_text_answer_modal", private_metadata: "{}" },
        {},
      ),
    () =>
      eventEnvelope(TEAM, {
        type: "message",
        channel: C,
        user: "U1",
        text: "hi",
        ts: "1.2",
        thread_ts: "1.1",
      }),
    () =>
      eventEnvelope(TEAM, {
        type: "assistant_thread_started",
        assistant_thread: { channel_id: "D1", thread_ts: "1.3" },
      }),
    () => Object.fromEntries(new URLSearchParams(commandBody(who, "list", fake.responseUrl()))),
  ];
  const junk = (depth = 0): unknown => {
    const r = rand();
    if (r < 0.12) return null;
    if (r < 0.24) return Math.floor(rand() * 1e6) - 5e5;
    if (r < 0.4) return pick(["", "x", "tb_skip", "{", "null", "[]", "__proto__", "<@U1>", "💥"]);
    if (r < 0.5) return rand() < 0.5;
    if (depth > 2) return "deep";
    if (r < 0.7) return Array.from({ length: Math.floor(rand() * 3) }, () => junk(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [
        pick(["type", "event", "actions", "view", "user", "team", "channel", "payload", `k${i}`]),
        junk(depth + 1),
      ]),
    );
  };
  const mutate = (v: unknown): unknown => {
    if (!v || typeof v !== "object") return junk();
    const copy = structuredClone(v) as Record<string, unknown>;
    let node: Record<string, unknown> = copy;
    for (let d = 0; d < 3; d++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const k = pick(keys);
      const child = node[k];
      if (child && typeof child === "object" && rand() < 0.6) node = child as Record<string, unknown>;
      else {
        node[k] = junk();
        break;
      }
    }
    return copy;
  };
  let sent = 0;
  const hostileWorkers = Array.from({ length: 16 }, async () => {
    while (sent < HOSTILE) {
      sent++;
      const kind = rand();
      const value = kind < 0.5 ? mutate(pick(valid)()) : junk();
      const text = JSON.stringify(value) ?? "null";
      const asForm = rand() < 0.5;
      const body = asForm ? new URLSearchParams({ payload: text }).toString() : text;
      try {
        count5xx(await send(body, asForm ? FORM : JSON_TYPE));
      } catch {
        figures.hostileNoAnswer++;
      }
      figures.hostileRequests++;
      if (appDied) {
        figures.crashes++;
        await launch();
      }
    }
  });
  await Promise.all(hostileWorkers);

  // 7. Every secret format, in names and typed answers, then look everywhere for it in clear.
  app.child.kill("SIGTERM");
  await app.exited;
  await launch("debug");
  for (const [i, s] of SECRET_SAMPLES.entries()) {
    const name = `sec-${i}`;
    await startReview(name);
    const root = await fake.waitFor(
      `review ${name}`,
      () =>
        roots().find(
          (r) => r.text.includes(`${name}*`) || r.text.includes(`${name} `) || r.text.endsWith(name),
        ),
      20_000,
    );
    // The fixture's first serverless question is a choice; the free-text one comes with a reply.
    for (let step = 0; step < 4; step++) {
      const open = await fake
        .waitFor(`a question of ${name}`, () => openQuestion(root), 20_000)
        .catch(() => undefined);
      if (!open) break;
      if (open.buttons.some((b) => b.action_id === "tb_text_answer")) {
        const ts = `18000${String(i).padStart(5, "0")}.0001`;
        await send(
          JSON.stringify(
            eventEnvelope(TEAM, {
              type: "message",
              channel: C,
              channel_type: "channel",
              user: who.user,
              text: s.text,
              ts,
              thread_ts: root.ts,
              event_ts: ts,
            }),
          ),
          JSON_TYPE,
        ).then(count5xx);
        break;
      }
      await answerOne(root);
      await sleep(50);
    }
    // A name that carries a recognisable secret (a bare key id without its label is not one).
    // (stored masked, so not looked up by name afterwards)
    if (s.text.length < 70) await startReview(`n${i} ${s.text}`, false);
  }
  await sleep(3000);
  app.child.kill("SIGTERM");
  await app.exited;
  const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString("latin1"));
  const shown = [
    ...fake.messages.map((m) => `${m.text}\n${JSON.stringify(m.blocks)}`),
    ...fake.ephemerals.map((m) => `${m.text}\n${JSON.stringify(m.blocks)}`),
    ...fake.uploads.map((u) => u.content),
    JSON.stringify(fake.calls.map((c) => c.args)),
    output.join(""),
  ].join("\n");
  for (const s of SECRET_SAMPLES) {
    if (files.some((f) => f.includes(s.secret)) || shown.includes(s.secret)) {
      figures.secretsInClear++;
      log(`  secret in clear: ${s.kind}`);
    }
  }

  // Final check after everything: restart once more and let the outbox catch up.
  await launch();
  const final = await checkConvergence(30_000);
  figures.stalled = Math.max(afterKills.stalled, final.stalled);
  figures.lost = Math.max(afterKills.lost, final.lost);
  figures.acknowledgedAnswers = acked.size;
  figures.acknowledgedStarts = ackedStarts.size;
  figures.duplicates = duplicates();
  app.child.kill("SIGTERM");
  await app.exited;
} finally {
  if (!appDied) app?.child.kill("SIGKILL");
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}

log("");
log("fault-injection figures");
log(`  kills (SIGKILL, then restart)            ${figures.kills}`);
log(
  `  acknowledged answers                     ${figures.acknowledgedAnswers} (and ${figures.acknowledgedStarts} review starts)`,
);
log(`  lost (acknowledged, not stored)          ${figures.lost}`);
log(`  stalled reviews                          ${figures.stalled}`);
log(
  `  duplicate posts                          ${figures.duplicates} (${figures.slowPostDuplicates} around the 11 s chat.postMessage)`,
);
log(
  `  crashes                                  ${figures.crashes} over ${figures.hostileRequests} hostile signed requests`,
);
log(`  5xx responses                            ${figures.http5xx}`);
log(`  hostile requests without an answer       ${figures.hostileNoAnswer}`);
log(
  `  secrets in clear                         ${figures.secretsInClear} of ${SECRET_SAMPLES.length} formats`,
);
log(`  SIGTERM to exit while Slack fails        ${(figures.sigtermMs / 1000).toFixed(1)} s`);
log(`  first command after a slow auth.test     HTTP ${figures.firstCommandAfterSlowStart}`);
log(`  wall time                                ${((Date.now() - started) / 1000).toFixed(0)} s`);
const ok =
  figures.lost === 0 &&
  figures.stalled === 0 &&
  figures.duplicates === 0 &&
  figures.crashes === 0 &&
  figures.http5xx === 0 &&
  figures.secretsInClear === 0 &&
  figures.sigtermMs <= 15_000 &&
  figures.firstCommandAfterSlowStart === 200 &&
  figures.kills >= Math.min(KILLS, 100);
log(ok ? "all guarantees held" : "A GUARANTEE DID NOT HOLD");
process.exit(ok ? 0 : 1);
