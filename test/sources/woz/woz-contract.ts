import { expect } from "vitest";
import { WOZ_BASE_PATH, type WozRecordedRequest } from "../../../src/sources/woz/index.ts";
import { validateGetParameters } from "../../utils/openapi-parameters.ts";
import { createOpenApiValidator } from "../../utils/openapi-validate.ts";

export const WOZ_SPEC = "woz-bevragen.openapi.yaml";
export const wozSpec = createOpenApiValidator(WOZ_SPEC);

/** Statuses of requests that tests sent malformed on purpose (raw fetch): their request is not checked. */
const DELIBERATELY_INVALID = new Set([400, 401, 406]);

/**
 * Validates every request the simulator received and every response it sent against the WOZ
 * Bevragen spec. Fault answers without a parsed body (malformed, wrongContentType, reset, timeout)
 * and the 503 the spec does not document are skipped. Returns how many checks were made.
 */
export function expectWozTrafficMatchesSpec(requests: readonly WozRecordedRequest[]): number {
  let checked = 0;
  for (const r of requests) {
    if (!r.path.startsWith(WOZ_BASE_PATH + "/")) continue;
    const path = r.path.slice(WOZ_BASE_PATH.length);
    if (!DELIBERATELY_INVALID.has(r.status)) {
      expect(
        validateGetParameters(WOZ_SPEC, path, r.query),
        `request ${path} ${JSON.stringify(r.query)}`,
      ).toEqual({
        valid: true,
      });
      checked++;
    }
    if (r.status > 0 && r.status !== 503 && r.response.body !== undefined) {
      expect(
        wozSpec.validateResponse(path, "get", r.status, r.response.contentType, r.response.body),
        `response ${r.status} ${path}`,
      ).toEqual({ valid: true });
      checked++;
    }
  }
  return checked;
}
