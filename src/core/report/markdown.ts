import { describeSource, formatValue } from "../facts/state.js";
import { STRIDE_NAMES } from "../knowledge/schema.js";
import type { FactEvidence, ModelThreat, ThreatModel } from "../threats/model.js";
import { SEVERITIES } from "../threats/model.js";

const MODEL_NAMES = { vm: "VM", container: "Container", serverless: "Serverless" } as const;
const WORKLOAD_NAMES = { ...MODEL_NAMES, undecided: "Undecided (options compared)" };

/** Escape text a person typed so it cannot break the table or inject markup into the report. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n/g, " ")
    .replace(/([\\`*_[\]<>|#~])/g, "\\$1")
    .trim();
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const table = (head: string[], rows: string[][]) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

/** "common.permissions: "Service wildcards…"" or "Dockerfile:1 FROM node:latest", as a reader checks it. */
export function evidenceText(e: FactEvidence): string {
  return `${e.fact} = ${formatValue(e.value)} (${describeSource(e.source)})`;
}

function because(t: ModelThreat): string {
  if (t.evidence === "inherent") return "comes with the platform";
  return t.because.map((e) => mdText(evidenceText(e))).join("; ") || "n/a";
}

/** Where an undecided review's threat holds: "every option", or the options named. */
function platformsOf(model: ThreatModel, t: { platforms: string[] }): string {
  if (t.platforms.length === model.review.platforms.length) return "every option";
  return t.platforms.map((p) => model.platformNames[p] ?? p).join(", ");
}

/** The threat model as Markdown: deterministic for the same model, readable on GitHub and in Slack previews. */
export function renderMarkdown(model: ThreatModel): string {
  const { review, summary } = model;
  const out: string[] = [];
  const byId = new Map(model.threats.map((t) => [t.id, t]));
  const confirmed = model.threats.filter((t) => t.evidence === "confirmed");
  const inherent = model.threats.filter((t) => t.evidence === "inherent");
  const platforms = review.platforms.map((p) => model.platformNames[p] ?? p).join(", ");
  const multiPlatform = review.workload === "undecided";

  out.push(`# Threat model: ${mdText(review.name)}`);
  out.push(
    [
      `Review #${review.id} · ${WORKLOAD_NAMES[review.workload]} · ${review.platformsConfirmed ? "" : "platform not confirmed: "}${platforms}`,
      `Version ${model.version} · ${review.status === "finished" ? "finished" : "in progress"} · started by ${mdText(review.createdBy)} on ${review.createdAt} · generated ${model.generatedAt} · knowledge base ${model.knowledgeBaseVersion}`,
    ].join("  \n"),
  );

  out.push("## Summary");
  const pending =
    summary.openQuestions === 0
      ? "Every question was answered"
      : `${summary.unconfirmed} more would apply depending on ${plural(summary.openQuestions, "open question")}`;
  out.push(
    `${summary.confirmed} confirmed threats (${summary.open} open, ${summary.mitigated} mitigated), from ${summary.questionsAsked} questions asked. ` +
      `${pending}; ${plural(summary.inherent, "concern")} ${summary.inherent === 1 ? "comes" : "come"} with the platform itself.`,
  );
  out.push(
    table(
      ["Severity", "Confirmed open threats"],
      SEVERITIES.map((s) => [cap(s), String(summary.bySeverity[s])]),
    ),
  );
  if (summary.top.length > 0) {
    out.push("### Fix first");
    out.push(
      summary.top
        .flatMap((id) => byId.get(id) ?? [])
        .map(
          (t, i) =>
            `${i + 1}. **${t.id}** ${cap(t.severity)}${multiPlatform ? ` (${platformsOf(model, t)})` : ""}: ${mdText(t.statement)}  \n   Because: ${because(t)}`,
        )
        .join("\n"),
    );
  } else {
    out.push("No confirmed open threat: nothing the team said (or a file showed) confirms one.");
  }

  if (model.comparison) {
    const options = review.platforms;
    out.push("## Options compared");
    out.push(
      `Each concern under ${options.map((p) => model.platformNames[p] ?? p).join(", ")}: who owns it, the team's work, the threats that hold, and what changes between the options.`,
    );
    out.push(
      table(
        ["Concern", ...options.map((p) => model.platformNames[p] ?? p), "What changes"],
        model.comparison.map((c) => [
          `${mdText(c.concern)} (\`${c.knowledgeId}\`)`,
          ...options.map((p) => {
            const o = c.options[p];
            return o
              ? `**${cap(o.owner)}**: ${mdText(o.note)}${o.threats.length > 0 ? ` Threats: ${o.threats.join(", ")}.` : ""}`
              : "n/a";
          }),
          mdText(c.difference),
        ]),
      ),
    );
  }

  out.push("## Scope and context");
  out.push(
    model.context.length > 0
      ? table(
          ["Question", "Answer", "Answered by"],
          model.context.map((a) => [mdText(a.question), mdText(a.answer), mdText(a.answeredBy)]),
        )
      : "No context questions were answered.",
  );

  out.push("## Confirmed threats");
  out.push(
    `Every threat here holds on what the team said or a file showed (the Because column). STRIDE: ${Object.entries(
      STRIDE_NAMES,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
  );
  out.push(
    confirmed.length > 0
      ? table(
          ["ID", "Threat", "STRIDE", "Severity", "Status", "Because", "Mitigations", "Rule (sources)"],
          confirmed.map((t) => [
            t.id,
            `${mdText(t.statement)}${multiPlatform ? ` *(${platformsOf(model, t)})*` : ""}`,
            t.stride.join(", "),
            cap(t.severity),
            t.status,
            because(t),
            t.mitigations.join(", ") || "none",
            `\`${t.ruleId}\` (${t.sources.join(", ")})`,
          ]),
        )
      : "None confirmed.",
  );

  out.push("## Open questions");
  out.push(
    "Not findings: what nobody confirmed. Each answer would confirm or rule out the threats listed under it.",
  );
  out.push(
    model.openQuestions.length > 0
      ? model.openQuestions
          .map((q) => {
            const hanging = q.threats.flatMap((id) => byId.get(id) ?? []);
            const list = hanging.map(
              (t) => `  - ${t.id} (${cap(t.severity)} if confirmed, \`${t.ruleId}\`): ${mdText(t.statement)}`,
            );
            return [`- [ ] ${mdText(q.text)} (\`${q.questionId}\`, ${q.reason})`, ...list].join("\n");
          })
          .join("\n")
      : "None: every question was answered.",
  );

  if (inherent.length > 0) {
    out.push("## Inherent to the platform");
    out.push(
      inherent
        .map(
          (t) =>
            `- **${t.id}** ${mdText(t.statement)}${multiPlatform ? ` *(${platformsOf(model, t)})*` : ""} \`${t.ruleId}\``,
        )
        .join("\n"),
    );
  }

  out.push("## Mitigations");
  out.push(
    model.mitigations.length > 0
      ? table(
          ["ID", "Mitigation", "Threats", "Status", "Shown by"],
          model.mitigations.map((m) => [
            m.id,
            `${mdText(m.text)}${multiPlatform ? ` *(${platformsOf(model, m)})*` : ""}`,
            m.threats.join(", "),
            m.status,
            m.because.map((e) => mdText(evidenceText(e))).join("; ") || "",
          ]),
        )
      : "None.",
  );

  const models = (["vm", "container", "serverless"] as const).filter((m) =>
    model.responsibility.some((r) => r.owners[m]),
  );
  if (!model.comparison && model.responsibility.length > 0) {
    out.push("## Shared responsibility");
    out.push(
      table(
        ["Concern", ...models.map((m) => MODEL_NAMES[m])],
        model.responsibility.map((r) => [
          `${mdText(r.concern)} (\`${r.knowledgeId}\`)`,
          ...models.map((m) => {
            const o = r.owners[m];
            return o ? `**${cap(o.owner)}**: ${mdText(o.note)}` : "n/a";
          }),
        ]),
      ),
    );
  }

  if (model.files.length > 0) {
    out.push("## Evidence from files");
    out.push(
      table(
        ["Fact", "Value", "Where"],
        model.files.map((f) => [f.fact, formatValue(f.value), mdText(`${f.file}:${f.line} ${f.excerpt}`)]),
      ),
    );
  }

  if (model.answers.length > 0) {
    out.push("## Answers");
    out.push(
      table(
        ["Question", "Answer", "Answered by", "When"],
        model.answers.map((a) => [mdText(a.question), mdText(a.answer), mdText(a.answeredBy), a.answeredAt]),
      ),
    );
  }

  out.push("## References");
  out.push(
    model.sources
      .map(
        (s) =>
          `- ${s.author ? `${s.author}, ` : ""}"${s.title}"${s.publisher ? `, ${s.publisher}` : ""}, ${s.date}${s.url ? `. <${s.url}>` : ""}`,
      )
      .join("\n") || "No article is cited.",
  );
  out.push(model.references.map((r) => `- ${r.framework} (${r.version}) ${r.id}: ${r.title}`).join("\n"));
  return `${out.join("\n\n")}\n`;
}
