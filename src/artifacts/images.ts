/** How an image reference pins what runs: by digest, by a version tag, or by a tag that moves. */
export type ImageRef = "digest" | "version-tag" | "latest";

/**
 * Classify an image reference (registry/name[:tag][@digest]). A missing tag means :latest; a tag with no
 * digit in it (stable, lts, alpine, edge) moves like :latest does. References built from variables are
 * not classified: the value is only known at build time.
 */
export function imageRef(image: string): ImageRef | undefined {
  if (image.includes("$") || image.includes("{{")) return undefined;
  if (/@sha256:[a-f0-9]{64}$/i.test(image)) return "digest";
  const name = image.slice(image.lastIndexOf("/") + 1);
  const colon = name.indexOf(":");
  if (colon === -1) return "latest";
  const tag = name.slice(colon + 1);
  return /\d/.test(tag) ? "version-tag" : "latest";
}

/** Weakest first: the weakest reference found is the one a review must assume. */
export const IMAGE_REF_ORDER: readonly ImageRef[] = ["latest", "version-tag", "digest"];
