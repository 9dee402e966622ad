/**
 * What the runtime printed, checked for leaks: no stack trace, and none of
 * the secrets or user text a run handed to it. wrangler's own complaint that
 * it cannot fetch the `Request.cf` placeholder (it asks
 * workers.cloudflare.com, which a machine without network cannot reach) is
 * dev tooling talking about itself, with a Node stack trace of its own; it is
 * set aside, and nothing else is.
 */
const CF_WARNING = "Unable to fetch the `Request.cf` object";
const STACK_LINE = /^\s+at\s/;

/** The lines of `log` that the app (the Worker, the Room, workerd) printed. */
export function appOutput(log: string): string[] {
  const lines = log.split("\n");
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line.includes(CF_WARNING)) {
      kept.push(line);
      continue;
    }
    // Skip the warning's own error line and its stack.
    while (i + 1 < lines.length && /^(Error: getaddrinfo|\s+at\s)/.test(lines[i + 1] ?? "")) i++;
  }
  return kept.filter((line) => line.trim() !== "");
}

export interface Leaks {
  stackTraceLines: string[];
  /** The secrets (tokens, message texts) found, each once. */
  secrets: string[];
}

export function findLeaks(lines: readonly string[], secrets: readonly string[]): Leaks {
  const text = lines.join("\n");
  return {
    stackTraceLines: lines.filter((line) => STACK_LINE.test(line)),
    secrets: secrets.filter((secret) => secret !== "" && text.includes(secret)),
  };
}
