import { z } from "zod";
import { binaryReason, type InputFile, MAX_FILE_BYTES, type Refusal } from "../../artifacts/read.js";
import type { WebClient } from "../deps.js";

/**
 * Files people share in Slack, read the way `threatbot review --from` reads files on disk: the
 * content comes only from the file's own `url_private_download` (never from URLs inside a file), with
 * the bot token, and only when that URL is under SLACK_FILES_URL. The size cap is checked on the
 * file object before a byte is fetched and again while the bytes arrive; binary files are refused.
 */

/** The fields of a Slack file object the app reads (files.info, message events, file_input). */
export const SlackFile = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  title: z.string().nullish(),
  size: z.number().int().nonnegative().nullish(),
  mimetype: z.string().nullish(),
  filetype: z.string().nullish(),
  mode: z.string().nullish(),
  is_external: z.boolean().nullish(),
  url_private_download: z.string().nullish(),
});
export type SlackFile = z.infer<typeof SlackFile>;

/** Slack shares at most ten files per message; more are not read. */
export const MAX_SHARED_FILES = 10;
const DOWNLOAD_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

// Kinds that are never a configuration file, refused before anything is downloaded.
const BINARY_MIME = /^(?:image|audio|video|font)\/|^application\/(?:zip|gzip|x-tar|pdf|x-7z|octet-stream)/;
const BINARY_TYPES = new Set(["zip", "gzip", "tar", "pdf", "png", "jpg", "jpeg", "gif", "binary", "mp4"]);

export interface ReadOptions {
  /** The files base URL: downloads outside it are refused, so the token goes nowhere else. */
  filesUrl: string;
  maxBytes?: number;
}

/** A name safe to show and to pick a parser by: no folders, no control characters. */
export function sharedFileName(f: SlackFile): string {
  const raw = (f.name ?? f.title ?? "").split(/[\\/]/).at(-1) ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: names must not carry control characters
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069`*_~<>]/g, "").trim();
  return clean.slice(0, 100) || `file-${f.id}`;
}

/** Look each file up with files.info and download the ones that can be read. */
export async function readSharedFiles(
  client: WebClient,
  shared: readonly { id: string }[],
  opts: ReadOptions,
): Promise<{ files: InputFile[]; refused: Refusal[] }> {
  const files: InputFile[] = [];
  const refused: Refusal[] = [];
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  for (const [i, s] of shared.entries()) {
    if (i >= MAX_SHARED_FILES) {
      refused.push({ file: s.id, reason: `only the first ${MAX_SHARED_FILES} files of a message are read` });
      continue;
    }
    let file: SlackFile;
    try {
      const info = await client.files.info({ file: s.id });
      file = SlackFile.parse(info.file);
    } catch {
      refused.push({
        file: s.id,
        reason:
          "Slack would not show the bot this file; share it again in the thread (the app needs files:read)",
      });
      continue;
    }
    const name = sharedFileName(file);
    const reason = await readOne(file, client.token ?? "", opts.filesUrl, maxBytes).then(
      (r) => {
        if (typeof r === "string") return r;
        files.push({ file: name, text: r.text });
        return undefined;
      },
      () => "the download failed; share the file again",
    );
    if (reason) refused.push({ file: name, reason });
  }
  return { files, refused };
}

/** The file's text, or why it was not read. */
async function readOne(
  f: SlackFile,
  token: string,
  filesUrl: string,
  maxBytes: number,
): Promise<{ text: string } | string> {
  if (f.is_external || f.mode === "external")
    return "a link to a file kept outside Slack; upload the file itself";
  if (f.size != null && f.size > maxBytes) return tooLarge(maxBytes, f.size);
  if ((f.mimetype && BINARY_MIME.test(f.mimetype)) || (f.filetype && BINARY_TYPES.has(f.filetype)))
    return `a binary file (${f.mimetype ?? f.filetype}); only text configuration files are read`;
  const url = f.url_private_download;
  if (!url?.startsWith(filesUrl)) return "Slack gave no download address for it; share the file again";
  const bytes = await download(url, token, filesUrl, maxBytes);
  if (typeof bytes === "string") return bytes;
  const binary = binaryReason(bytes);
  if (binary) return binary;
  return {
    text: Buffer.from(bytes)
      .toString("utf8")
      .replace(/^\uFEFF/, ""),
  };
}

const tooLarge = (maxBytes: number, size: number | undefined) =>
  `larger than ${Math.round(maxBytes / 1024)} KiB${size !== undefined ? ` (${size} bytes)` : ""}; share the file that describes the workload, not generated output`;

/** GET with the bot token, following redirects only inside the files base; stops at the cap. */
async function download(
  url: string,
  token: string,
  filesUrl: string,
  maxBytes: number,
): Promise<Uint8Array | string> {
  let at = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await fetch(at, {
      headers: { authorization: `Bearer ${token}` },
      redirect: "manual",
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const next = res.headers.get("location");
      const resolved = next ? new URL(next, at).toString() : "";
      if (!resolved.startsWith(filesUrl)) return "Slack sent the download elsewhere; share the file again";
      at = resolved;
      continue;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      return `Slack did not hand the file over (HTTP ${res.status}); share it again`;
    }
    if ((res.headers.get("content-type") ?? "").startsWith("text/html")) {
      // Slack answers a download without access with its sign-in page.
      await res.body?.cancel();
      return "Slack answered with a sign-in page: the app needs the files:read scope (reinstall it)";
    }
    const declared = Number(res.headers.get("content-length") ?? Number.NaN);
    if (declared > maxBytes) {
      await res.body?.cancel();
      return tooLarge(maxBytes, declared);
    }
    return readCapped(res, maxBytes);
  }
  return "too many redirects from Slack; share the file again";
}

async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array | string> {
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return tooLarge(maxBytes, undefined);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
