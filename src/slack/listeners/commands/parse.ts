import { Workload } from "../../../core/knowledge/schema.js";

/** What `/threatmodel <text>` asks for. Usage mistakes carry the line to show; nothing is silent. */
export type Subcommand =
  | { kind: "modal" }
  | { kind: "help" }
  | { kind: "list" }
  | { kind: "new"; workload: Workload; name: string }
  | { kind: "show"; id: number }
  | { kind: "export"; id: number; format: "md" | "json" }
  | { kind: "ask"; question: string }
  | { kind: "usage"; message: string }
  | { kind: "unknown"; word: string };

const ID = /^#?(\d{1,9})$/;

function reviewId(word: string | undefined): number | undefined {
  const m = word ? ID.exec(word) : null;
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function parseCommand(text: string): Subcommand {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "modal" };
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  switch (word) {
    case "help":
    case "?":
      return { kind: "help" };
    case "list":
    case "ls":
      return { kind: "list" };
    case "new":
    case "start": {
      const workload = Workload.safeParse(rest[0]?.toLowerCase());
      const name = trimmed
        .slice(first.length)
        .trim()
        .slice((rest[0] ?? "").length)
        .trim();
      if (!workload.success)
        return {
          kind: "usage",
          message:
            "Usage: `/threatmodel new <vm|container|serverless|undecided> <name>`, e.g. `/threatmodel new container payments-api`.",
        };
      if (name === "")
        return {
          kind: "usage",
          message: "Give the system a name: `/threatmodel new container payments-api`.",
        };
      return { kind: "new", workload: workload.data, name };
    }
    case "show": {
      const id = reviewId(rest[0]);
      if (id === undefined || rest.length > 1)
        return { kind: "usage", message: "Usage: `/threatmodel show <id>`, e.g. `/threatmodel show 12`." };
      return { kind: "show", id };
    }
    case "export": {
      const id = reviewId(rest[0]);
      const format = (rest[1] ?? "md").toLowerCase().replace(/^\./, "");
      if (id === undefined || (format !== "md" && format !== "json") || rest.length > 2)
        return {
          kind: "usage",
          message: "Usage: `/threatmodel export <id> [md|json]`, e.g. `/threatmodel export 12 json`.",
        };
      return { kind: "export", id, format };
    }
    case "ask": {
      const question = trimmed.slice(first.length).trim();
      if (question === "")
        return {
          kind: "usage",
          message:
            "Usage: `/threatmodel ask <question>`, e.g. `/threatmodel ask do we need a VPC for an API Gateway + Lambda API?`",
        };
      return { kind: "ask", question };
    }
    default:
      return { kind: "unknown", word: first };
  }
}
