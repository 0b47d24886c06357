import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import type { z } from "zod";
import type { PromptTemplates } from "../prompts.js";
import type { FallbackReason } from "../schema.js";

export type ModelResult<T> = { ok: true; value: T } | { ok: false; reason: FallbackReason; detail: string };

export class ModelTimeout extends Error {
  constructor(ms: number) {
    super(`no reply within ${ms} ms`);
    this.name = "ModelTimeout";
  }
}

function classify(e: unknown): FallbackReason {
  const err = (e ?? {}) as Error & { issues?: unknown };
  const message = err.message ?? "";
  if (err instanceof ModelTimeout || err.name === "AbortError" || /abort|timed? ?out/i.test(message))
    return "timeout";
  // A reply that is not JSON, or JSON of the wrong shape (zod errors carry "issues").
  if (
    Array.isArray(err.issues) ||
    /ZodError|OutputParserException|SyntaxError/.test(err.name ?? "") ||
    /pars(e|ing)|json/i.test(message)
  )
    return "malformed";
  return "error";
}

/** One line for the log: a zod issue by path, otherwise the error's first line. */
function describe(e: unknown): string {
  const err = (e ?? {}) as Error & { issues?: { path?: unknown[]; message?: string }[] };
  const issue = Array.isArray(err.issues) ? err.issues[0] : undefined;
  if (issue) return `${(issue.path ?? []).join(".") || "(root)"}: ${issue.message ?? "invalid"}`;
  return (err.message ?? String(e)).split("\n")[0] ?? "";
}

/**
 * Fill a prompt, ask the model for structured output and validate it with the same zod schema.
 * Never throws: every failure becomes a reason the caller can fall back on.
 */
export async function askForStructured<S extends z.ZodType>(
  chat: BaseChatModel,
  templates: PromptTemplates,
  values: Record<string, string>,
  schema: S,
  opts: { name: string; timeoutMs: number },
): Promise<ModelResult<z.infer<S>>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const prompt = ChatPromptTemplate.fromMessages([
      ["system", templates.system],
      ["human", templates.human],
    ]);
    const chain = prompt.pipe(chat.withStructuredOutput(schema, { name: opts.name }));
    // The signal cancels the request; the race also covers a client that ignores it.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new ModelTimeout(opts.timeoutMs));
      }, opts.timeoutMs);
    });
    const raw = await Promise.race([chain.invoke(values, { signal: controller.signal }), timeout]);
    // Some models (and langchain's fake ones) skip validation; check again here.
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      return { ok: false, reason: "malformed", detail: parsed.error.issues[0]?.message ?? "" };
    return { ok: true, value: parsed.data };
  } catch (e) {
    return { ok: false, reason: classify(e), detail: describe(e) };
  } finally {
    clearTimeout(timer);
  }
}
