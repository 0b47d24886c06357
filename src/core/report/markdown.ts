import { STRIDE_NAMES } from "../knowledge/schema.js";
import { type ModelThreat, SEVERITIES, type Severity, type ThreatModel } from "../threats/model.js";

const MODEL_NAMES = { vm: "VM", container: "Container", serverless: "Serverless" } as const;
const WORKLOAD_NAMES = { ...MODEL_NAMES, undecided: "Undecided (VM, container and serverless compared)" };
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Escape text a person typed so it cannot break the table or inject markup into the report. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n/g, " ")
    .replace(/([\\`*_[\]<>|#~])/g, "\\$1")
    .trim();
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const table = (head: string[], rows: string[][]) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

export function bySeverityThenId(a: ModelThreat, b: ModelThreat): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.id.localeCompare(b.id);
}

function threatsTable(threats: ModelThreat[]): string {
  return table(
    ["ID", "Threat", "STRIDE", "Severity", "Status", "Mitigations", "Knowledge (sources)"],
    [...threats].sort(bySeverityThenId).map((t) => [
      t.id,
      mdText(t.statement),
      t.stride.join(", "),
      cap(t.severity),
      t.status,
      t.mitigations.join(", ") || "none",
      // An entry drawn from frameworks alone cites no article; its references list says which.
      `\`${t.knowledgeId}\` (${t.sources.join(", ") || "frameworks only"})`,
    ]),
  );
}

/** The threat model as Markdown: deterministic for the same model, readable on GitHub and in Slack previews. */
export function renderMarkdown(model: ThreatModel): string {
  const { review, summary } = model;
  const out: string[] = [];
  const models = model.comparison
    ? model.comparison.map((c) => c.deploymentModel)
    : review.workload === "undecided"
      ? []
      : [review.workload];

  out.push(`# Threat model: ${mdText(review.name)}`);
  out.push(
    [
      `Review #${review.id} · ${WORKLOAD_NAMES[review.workload]} · version ${model.version} · ${review.status === "finished" ? "finished" : "in progress"}`,
      `Started by ${mdText(review.createdBy)} on ${review.createdAt} · generated ${model.generatedAt} · knowledge base ${model.knowledgeBaseVersion}`,
    ].join("  \n"),
  );

  out.push("## Summary");
  out.push(
    `${summary.threats} threats, ${summary.open} open; ${summary.openQuestions} open questions. ` +
      `Concerns owned by the team: ${summary.teamOwned}, by the provider: ${summary.providerOwned}, shared: ${summary.sharedOwned}.`,
  );
  out.push(
    table(
      ["Severity", "Open threats"],
      SEVERITIES.map((s) => [cap(s), String(summary.bySeverity[s])]),
    ),
  );
  const top = model.threats
    .filter((t) => t.status === "open")
    .sort(bySeverityThenId)
    .slice(0, 5);
  if (top.length > 0) {
    out.push("Top open threats:");
    out.push(
      top
        .map(
          (t) =>
            `- **${t.id}** (${cap(t.severity)}, ${MODEL_NAMES[t.deploymentModel]}): ${mdText(t.statement)}`,
        )
        .join("\n"),
    );
  }

  if (model.comparison) {
    out.push("## Deployment models compared");
    out.push(
      table(
        ["Model", "Critical", "High", "Medium", "Low", "Open", "Team owns", "Provider owns", "Shared"],
        model.comparison.map((c) => [
          MODEL_NAMES[c.deploymentModel],
          ...SEVERITIES.map((s) => String(c.bySeverity[s])),
          String(c.open),
          String(c.teamOwned),
          String(c.providerOwned),
          String(c.sharedOwned),
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

  out.push("## Threats");
  out.push(
    `STRIDE: ${Object.entries(STRIDE_NAMES)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
  );
  if (models.length > 1) {
    for (const m of models) {
      out.push(`### ${MODEL_NAMES[m]}`);
      out.push(threatsTable(model.threats.filter((t) => t.deploymentModel === m)));
    }
  } else {
    out.push(model.threats.length > 0 ? threatsTable(model.threats) : "No threats were derived.");
  }
  out.push("### Why each threat is here");
  out.push(model.threats.map((t) => `- **${t.id}**: ${mdText(t.basis)}`).join("\n") || "None.");

  out.push("## Mitigations");
  out.push(
    model.mitigations.length > 0
      ? table(
          ["ID", "Mitigation", "Threats", "Status"],
          model.mitigations.map((m) => [m.id, mdText(m.text), m.threats.join(", "), m.status]),
        )
      : "None.",
  );

  out.push("## Open questions");
  out.push(
    model.openQuestions.length > 0
      ? model.openQuestions
          .map(
            (q) =>
              `- [ ] ${mdText(q.text)} (\`${q.questionId}\`, ${q.reason}${q.knowledgeIds.length > 0 ? `; affects ${q.knowledgeIds.map((k) => `\`${k}\``).join(", ")}` : ""})`,
          )
          .join("\n")
      : "None: every question was answered.",
  );

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
      .join("\n"),
  );
  out.push(
    model.references
      .map((r) => `- ${r.framework}${r.version ? ` (${r.version})` : ""} ${r.id}: ${r.title}`)
      .join("\n"),
  );
  return `${out.join("\n\n")}\n`;
}
