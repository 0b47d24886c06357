import { DockerfileParser, From, type Instruction, PropertyInstruction } from "dockerfile-ast";
import { commandSignals } from "./ci-commands.js";
import { Findings } from "./findings.js";
import { imageRef } from "./images.js";
import { pipesDownloadToShell, upgradesPackages } from "./shell.js";

const lineOf = (i: Instruction) => i.getRange().start.line + 1;

/** The shell text of a RUN in either form (`RUN cmd` or `RUN ["sh", "-c", "cmd"]`). */
function runText(run: Instruction): string {
  const content = run.getArgumentsContent() ?? "";
  if (!content.trim().startsWith("[")) return content;
  try {
    const argv = JSON.parse(content) as unknown;
    if (!Array.isArray(argv)) return content;
    // RUN ["sh", "-c", "script"]: the script is what the shell runs.
    if (argv.length >= 3 && /(?:^|\/)(?:ba|z|da|a)?sh$/.test(String(argv[0])) && argv[1] === "-c")
      return String(argv[2]);
    return argv.map((a) => (/\s/.test(String(a)) ? `"${a}"` : String(a))).join(" ");
  } catch {
    // Not valid JSON: Docker runs it as a shell command too.
  }
  return content;
}

const isRootUser = (user: string) => {
  const name = user.split(":")[0]?.trim() ?? "";
  return name === "root" || name === "0";
};

/**
 * Facts of a Dockerfile from dockerfile-ast's instructions. Only the last stage decides the user, since
 * it is the image that runs; every stage's FROM, ADD and RUN go into the build.
 */
export function analyseDockerfile(text: string): Findings {
  const f = new Findings("Dockerfile");
  const doc = DockerfileParser.parse(text);
  const stages = new Set<string>();
  let finalFrom: Instruction | undefined;
  let finalUser: Instruction | undefined;
  for (const ins of doc.getInstructions()) {
    const keyword = ins.getKeyword();
    const line = lineOf(ins);
    if (keyword === "FROM") {
      const from = ins instanceof From ? ins : undefined;
      const image = from?.getImage() ?? "";
      const stage = from?.getBuildStage();
      if (image && image !== "scratch" && !stages.has(image)) {
        const ref = imageRef(image);
        if (ref) f.atLine("image.ref", ref, line);
      }
      if (stage) stages.add(stage);
      finalFrom = ins;
      finalUser = undefined;
    } else if (keyword === "USER") {
      finalUser = ins;
    } else if (keyword === "ADD") {
      const sources = ins
        .getArguments()
        .map((a) => a.getValue())
        .filter((a) => !a.startsWith("--"));
      if (sources.slice(0, -1).some((s) => /^(?:https?|ftp):\/\//i.test(s)))
        f.atLine("image.add-remote", true, line);
    } else if (keyword === "RUN") {
      const shell = runText(ins);
      // The whole instruction, continuation lines joined, is the evidence.
      const text = ins
        .getTextContent()
        .replace(/\\\r?\n/g, " ")
        .replace(/\s+/g, " ")
        .trim();
      const excerpt = text.length > 160 ? `${text.slice(0, 157)}...` : text;
      if (pipesDownloadToShell(shell)) f.atLine("image.curl-pipe-shell", true, line, excerpt);
      if (upgradesPackages(shell)) f.atLine("image.pkg-upgrade", true, line, excerpt);
      // `npm ci`, `pip install --require-hashes`…: the image is built from the lock file.
      if (commandSignals(shell).lockedInstall) f.atLine("deps.lockfiles", true, line, excerpt);
    } else if (keyword === "HEALTHCHECK") {
      const none = ins.getArguments()[0]?.getValue().toUpperCase() === "NONE";
      f.atLine("image.healthcheck", !none, line);
    } else if (keyword === "ENV" || keyword === "ARG") {
      if (!(ins instanceof PropertyInstruction)) continue;
      for (const p of ins.getProperties()) {
        // ENV values stay in the image config and ARG values in its history: a secret-looking name is enough.
        const value = p.getValue() ?? "";
        f.secret({
          fact: "secrets.in-code-or-image",
          name: p.getName(),
          value,
          path: [],
          line,
          nameIsEnough: true,
        });
      }
    }
  }
  if (finalFrom) {
    if (!finalUser) {
      const excerpt = `${finalFrom.getTextContent().trim()} (no USER instruction: runs as root)`;
      f.atLine("container.runs-as-root", true, lineOf(finalFrom), excerpt);
    } else {
      f.atLine(
        "container.runs-as-root",
        isRootUser(finalUser.getArgumentsContent() ?? ""),
        lineOf(finalUser),
      );
    }
  }
  return f;
}
