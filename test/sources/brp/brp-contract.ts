import { expect } from "vitest";
import type { RecordedRequest } from "../../../src/sources/brp/index.ts";
import { createOpenApiValidator } from "../../utils/openapi-validate.ts";

export const brpSpec = createOpenApiValidator("brp-personen-v2.openapi.yaml");

/**
 * Validates every request the simulator received and every response it sent against the BRP
 * spec. Responses of the `malformed` / `wrongContentType` / `reset` faults are deliberately not
 * valid and carry no parsed body, so they are skipped; token calls are not part of the spec.
 */
export function expectTrafficMatchesSpec(requests: readonly RecordedRequest[]): number {
  let checked = 0;
  for (const r of requests) {
    if (!r.path.endsWith("/personen")) continue;
    // Requests the simulator refused with 400 were sent raw by tests on purpose.
    if (r.body !== undefined && r.status !== 415 && r.status !== 400) {
      expect(
        brpSpec.validateRequest("/personen", "post", "application/json; charset=utf-8", r.body),
        `request ${JSON.stringify(r.body)}`,
      ).toEqual({ valid: true });
      checked++;
    }
    if (r.status > 0 && r.response.body !== undefined) {
      expect(
        brpSpec.validateResponse("/personen", "post", r.status, r.response.contentType, r.response.body),
        `response ${r.status}`,
      ).toEqual({ valid: true });
      checked++;
    }
  }
  return checked;
}
