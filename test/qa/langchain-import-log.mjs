// Loaded with --import: reports on stderr every langchain module the process resolves, so a test
// can check which commands load langchain at all.
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes("langchain")) console.error("langchain module loaded: " + result.url);
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
