import { type Command, Option } from "commander";
import { InputError } from "../../core/errors.js";
import type { WorkloadName } from "../../core/knowledge/workloads.js";
import { workloadArg } from "../args.js";
import type { CliIo } from "../program.js";

/** `threatbot ask "<question>"`: the design-channel Q&A from a terminal. */
export function registerAsk(program: Command, io: CliIo): void {
  program
    .command("ask")
    .description("answer a security design question from the knowledge base, with citations")
    .argument("<question...>", 'the question, e.g. "do we need a VPC for an API Gateway + Lambda API?"')
    .addOption(
      new Option("--workload <workload>", "answer for vm, container, serverless or undecided").argParser(
        workloadArg,
      ),
    )
    .option("--json", "print JSON: answer, workload, citations with entry ids, grounded")
    .action(async (words: string[], o: { workload?: WorkloadName; json?: boolean }) => {
      // Q&A (and, with a model configured, langchain) loads only for this command.
      const [
        { loadLlmConfig, ConfigError },
        { loadKnowledgeBase },
        { QaService },
        { llmOptions },
        format,
        schema,
      ] = await Promise.all([
        import("../../config.js"),
        import("../../core/knowledge/load.js"),
        import("../../qa/service.js"),
        import("../../qa/configure.js"),
        import("../../qa/format.js"),
        import("../../qa/schema.js"),
      ]);
      let llm: ReturnType<typeof llmOptions>;
      try {
        llm = llmOptions(loadLlmConfig(io.env));
      } catch (e) {
        if (e instanceof ConfigError) throw new InputError(e.message);
        throw e;
      }
      const qa = new QaService({
        kb: loadKnowledgeBase(io.env.THREATBOT_KNOWLEDGE || undefined),
        llm,
        onFallback: (f) =>
          io.stderr.write(`warning: the LLM's reply was not used (${f.reason}: ${f.detail})\n`),
      });
      const answer = await qa.answerQuestion(words.join(" "), { workload: o.workload });
      io.stdout.write(
        o.json
          ? `${JSON.stringify(schema.AnswerJson.parse(answer), null, 2)}\n`
          : format.formatAnswerMarkdown(answer),
      );
    });
}
