import { simpleCommands } from "./shell.js";

/** What one pipeline command or action does that a review cares about. */
export interface CiSignals {
  /** Scans application dependencies for known vulnerabilities. */
  scansDeps?: boolean;
  /** Scans a built container image for known vulnerabilities. */
  scansImage?: boolean;
  /** Installs dependencies strictly from a lock file. */
  lockedInstall?: boolean;
  /** Builds a container image. */
  buildsImage?: boolean;
}

// Runners that put the real command after themselves (`npx osv-scanner`, `pnpm dlx audit-ci`).
const RUNNERS: Record<string, number> = { npx: 1, bunx: 1, pipx: 2, uvx: 1 };
const DLX = new Set(["pnpm", "yarn", "bun"]);

/** argv without a leading package runner and its flags. */
function unwrapRunner(argv: string[]): string[] {
  const [name, ...rest] = argv;
  const skip = name && Object.hasOwn(RUNNERS, name) ? RUNNERS[name] : undefined;
  let args = argv;
  if (skip !== undefined) {
    // pipx run <tool>: drop "run" too.
    args = name === "pipx" && rest[0] === "run" ? rest.slice(1) : rest;
  } else if (name && DLX.has(name) && rest[0] === "dlx") args = rest.slice(1);
  else return argv;
  return args.filter((a) => !a.startsWith("-"));
}

const words = (args: string[]) => args.filter((a) => !a.startsWith("-"));

/**
 * Signals of one shell command line of a pipeline step (`run:` in GitHub Actions, `script:` in GitLab),
 * parsed with shell-quote: a scanner or installer inside a quoted string or an echo is not run.
 */
export function commandSignals(line: string): CiSignals {
  const out: CiSignals = {};
  // The runner substitutes `${{ … }}` expressions as text before the shell sees the line.
  const shell = line.replace(/\$\{\{[^}]*\}\}/g, "EXPR");
  let commands: ReturnType<typeof simpleCommands>;
  try {
    commands = simpleCommands(shell);
  } catch {
    // shell-quote refuses some substitutions (`${!name}`); a line it cannot split shows nothing.
    return out;
  }
  for (const { argv: raw } of commands) {
    const argv = unwrapRunner(raw);
    const [name = "", ...args] = argv;
    const w = words(args);
    const has = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
    switch (name) {
      case "npm":
        if (["ci", "clean-install", "ic", "install-clean"].includes(w[0] ?? "")) out.lockedInstall = true;
        // `npm audit signatures` checks registry signatures, not advisories.
        if (w[0] === "audit" && w[1] !== "signatures") out.scansDeps = true;
        break;
      case "pnpm":
      case "bun":
        if (["install", "i"].includes(w[0] ?? "") && has("--frozen-lockfile")) out.lockedInstall = true;
        if (w[0] === "audit") out.scansDeps = true;
        break;
      case "yarn":
        if ((w.length === 0 || w[0] === "install") && (has("--frozen-lockfile") || has("--immutable")))
          out.lockedInstall = true;
        if (w[0] === "audit" || (w[0] === "npm" && w[1] === "audit")) out.scansDeps = true;
        break;
      case "pip":
      case "pip3":
        if (w[0] === "install" && has("--require-hashes")) out.lockedInstall = true;
        break;
      case "python":
      case "python3":
        // python -m pip install --require-hashes …
        if (args[0] === "-m" && (args[1] === "pip" || args[1] === "pip_audit")) {
          if (args[1] === "pip_audit") out.scansDeps = true;
          else if (args.includes("install") && has("--require-hashes")) out.lockedInstall = true;
        }
        break;
      case "pipenv":
        if ((w[0] === "install" && has("--deploy")) || w[0] === "sync") out.lockedInstall = true;
        if (w[0] === "check") out.scansDeps = true;
        break;
      case "uv":
        if (w[0] === "sync" && (has("--locked") || has("--frozen"))) out.lockedInstall = true;
        if (w[0] === "pip" && w[1] === "install" && has("--require-hashes")) out.lockedInstall = true;
        break;
      case "bundle":
        if (w[0] === "install" && (has("--frozen") || has("--deployment"))) out.lockedInstall = true;
        if (w[0] === "audit" || (w[0] === "exec" && w[1] === "bundle-audit")) out.scansDeps = true;
        break;
      case "cargo":
        if (w[0] === "audit") out.scansDeps = true;
        if (has("--locked")) out.lockedInstall = true;
        break;
      case "dotnet":
        if (w[0] === "restore" && has("--locked-mode")) out.lockedInstall = true;
        if (w[0] === "list" && has("--vulnerable")) out.scansDeps = true;
        break;
      case "composer":
        if (w[0] === "audit") out.scansDeps = true;
        break;
      case "mvn":
      case "mvnw":
      case "gradle":
      case "gradlew":
        if (w.some((a) => /dependency-?check/i.test(a))) out.scansDeps = true;
        break;
      case "pip-audit":
      case "osv-scanner":
      case "govulncheck":
      case "bundler-audit":
      case "bundle-audit":
      case "audit-ci":
      case "better-npm-audit":
      case "dependency-check":
      case "dependency-check.sh":
        out.scansDeps = true;
        break;
      case "safety":
        if (w[0] === "check" || w[0] === "scan") out.scansDeps = true;
        break;
      case "snyk":
        if (w[0] === "test") out.scansDeps = true;
        if (w[0] === "container" && w[1] === "test") out.scansImage = true;
        break;
      case "trivy":
        Object.assign(out, trivySignals(w[0] ?? ""));
        break;
      case "grype":
        // grype dir:. / grype sbom:… scan a tree; anything else names an image.
        Object.assign(out, grypeSignals(w[0] ?? ""));
        break;
      case "docker":
      case "podman":
        if (w[0] === "scout" && ["cves", "quickview", "recommendations"].includes(w[1] ?? ""))
          Object.assign(out, { scansImage: true, scansDeps: true });
        if (
          w[0] === "build" ||
          (w[0] === "buildx" && w[1] === "build") ||
          (w[0] === "image" && w[1] === "build")
        )
          out.buildsImage = true;
        break;
      case "buildah":
        if (w[0] === "bud" || w[0] === "build") out.buildsImage = true;
        break;
      case "executor": // /kaniko/executor (simpleCommands keeps only the program's base name)
        out.buildsImage = true;
        break;
    }
  }
  return out;
}

/** Trivy scans language packages too: an image scan covers the application's dependencies inside it. */
export function trivySignals(scanType: string): CiSignals {
  if (scanType === "image" || scanType === "i") return { scansImage: true, scansDeps: true };
  if (["fs", "filesystem", "repo", "repository", "rootfs", "sbom"].includes(scanType))
    return { scansDeps: true };
  return {};
}

/** Grype reports the application packages it finds in an image as well as the OS ones. */
export function grypeSignals(target: string): CiSignals {
  if (target === "") return {};
  return /^(?:dir:|file:|sbom:|\.)/.test(target)
    ? { scansDeps: true }
    : { scansImage: true, scansDeps: true };
}
