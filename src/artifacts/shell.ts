import { parse } from "shell-quote";

/** The simple commands of a shell line, each with whether its output is piped into the next. */
interface SimpleCommand {
  argv: string[];
  pipedToNext: boolean;
}

// Wrappers whose first argument is the real command.
const WRAPPERS = new Set(["sudo", "env", "exec", "nohup", "time", "command"]);
const SHELLS = new Set(["sh", "bash", "zsh", "ash", "dash", "ksh"]);
const DOWNLOADERS = new Set(["curl", "wget"]);

/** Split a shell command line into simple commands with shell-quote (variables are kept, not expanded). */
export function simpleCommands(line: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let argv: string[] = [];
  for (const token of parse(line, (name) => `$${name}`)) {
    if (typeof token === "string") {
      argv.push(token);
      continue;
    }
    if ("op" in token) {
      if (token.op === "glob") {
        argv.push(token.pattern);
        continue;
      }
      if (argv.length > 0) out.push({ argv: command(argv), pipedToNext: token.op === "|" });
      argv = [];
    }
  }
  if (argv.length > 0) out.push({ argv: command(argv), pipedToNext: false });
  return out;
}

function command(argv: string[]): string[] {
  let i = 0;
  while (i < argv.length && (WRAPPERS.has(argv[i] ?? "") || /^\w+=/.test(argv[i] ?? ""))) i++;
  return argv.slice(i).map((a, j) => (j === 0 ? a.slice(a.lastIndexOf("/") + 1) : a));
}

/** A downloaded script run by a shell: `curl … | sh`, or `sh -c "$(curl …)"`. */
export function pipesDownloadToShell(line: string): boolean {
  const cmds = simpleCommands(line);
  return cmds.some((c, i) => {
    const name = c.argv[0] ?? "";
    const next = cmds[i + 1]?.argv[0] ?? "";
    if (DOWNLOADERS.has(name) && c.pipedToNext && SHELLS.has(next)) return true;
    return SHELLS.has(name) && c.argv.includes("-c") && c.argv.some((a) => /\$\(\s*(?:curl|wget)\b/.test(a));
  });
}

/** An OS package upgrade (apt-get upgrade, apk upgrade, yum update with no package named). */
export function upgradesPackages(line: string): boolean {
  return simpleCommands(line).some(({ argv }) => {
    const [name, ...args] = argv;
    const words = args.filter((a) => !a.startsWith("-"));
    switch (name) {
      case "apt-get":
      case "apt":
      case "aptitude":
        return words.some((w) => w === "upgrade" || w === "dist-upgrade" || w === "full-upgrade");
      case "apk":
        return words[0] === "upgrade";
      case "yum":
      case "dnf":
      case "microdnf":
        return (words[0] === "update" || words[0] === "upgrade") && words.length === 1;
      default:
        return false;
    }
  });
}
