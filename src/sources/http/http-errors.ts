import type { SourceError } from "../../shared/index.ts";

/** Problem `code`s are taken over as reason only when they are short identifiers (never free text). */
const SAFE_CODE = /^[a-zA-Z0-9]{1,25}$/;

/**
 * Maps an HTTP status (and, for 400, the problem `code`) to a SourceError. Shared by every
 * source so that "what counts as unavailable" is decided once (design.md "Hit semantics").
 */
export function sourceErrorForStatus(status: number, problemCode?: unknown): SourceError {
  if (status === 401 || status === 403) return { kind: "unauthorized", status, reason: `http_${status}` };
  if (status === 429 || status >= 500) return { kind: "unavailable", status, reason: `http_${status}` };
  if (status === 400) {
    const code = typeof problemCode === "string" && SAFE_CODE.test(problemCode) ? problemCode : "http_400";
    return { kind: "rejected", status, reason: code };
  }
  if (status >= 400) return { kind: "rejected", status, reason: `http_${status}` };
  return { kind: "malformed", status, reason: `unexpected_status_${status}` };
}

/** Maps what `fetch` (or reading its body) threw: an abort is a timeout, everything else unavailable. */
export function sourceErrorForThrown(error: unknown): SourceError {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return { kind: "timeout", reason: "timeout" };
  return { kind: "unavailable", reason: "network_error" };
}
