import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../core/errors.js";

/**
 * Files named on the command line are input like any other: checked for what they are and how
 * big they are before a byte is read, and decoded strictly.
 */

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Read a regular file of at most `limit` bytes as UTF-8. Devices, FIFOs and directories are
 * refused up front (`/dev/zero` never ends), and the size is checked on the open descriptor, so a
 * file swapped after the check cannot slip past it.
 */
export function readTextInput(path: string, what: string, limit: number): string {
  const What = what.charAt(0).toUpperCase() + what.slice(1);
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO with no writer returns at once instead of waiting forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(`Cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? "error"}.`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new InputError(`${What} ${path} is not a regular file; give the path of a YAML or JSON file.`);
    }
    if (st.size > limit) {
      throw new InputError(`${What} ${path} is ${st.size} bytes, over the ${limit}-byte limit; split it up.`);
    }
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    try {
      return utf8.decode(buf.subarray(0, got));
    } catch {
      throw new InputError(`${What} ${path} is not valid UTF-8; save it as UTF-8 and try again.`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Keys that would reach an object's prototype if copied naively. */
const PROTO_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Refuse `__proto__`-style keys anywhere in parsed input, naming the first one found. */
export function assertPlainKeys(data: unknown, what: string): void {
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`);
    } else if (v && typeof v === "object") {
      for (const k of Object.keys(v)) {
        if (PROTO_KEYS.has(k)) {
          throw new InputError(`${what} has a key named "${k}"${path ? ` under ${path}` : ""}; remove it.`);
        }
        walk((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      }
    }
  };
  walk(data, "");
}

/** An output path must be a file in a folder that exists; say which part is wrong before writing. */
export function checkOutputPath(path: string): void {
  const st = statOrUndefined(path);
  if (st?.isDirectory()) throw new InputError(`--out ${path} is a folder; give a file name inside it.`);
  if (st && !st.isFile()) throw new InputError(`--out ${path} is not a regular file; give a file name.`);
  const parent = statOrUndefined(dirname(path));
  if (!parent?.isDirectory()) {
    throw new InputError(`--out ${path}: the folder ${dirname(path)} does not exist; create it first.`);
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
