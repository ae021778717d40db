import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";

/** Issue 13: the settings of traces and the request log, checked at start-up like every other. */
const production = {
  OIDC_ISSUER: "https://idp.example.nl/realms/gemeente",
  OIDC_JWKS_URL: "https://idp.example.nl/realms/gemeente/protocol/openid-connect/certs",
  OIDC_AUDIENCE: "poortwachter",
  BRP_URL: "https://brp.example.nl/haalcentraal/api/brp",
  AUDIT_HMAC_KEY: "k".repeat(32),
};

describe("observability settings", () => {
  it("default to no traces, service name poortwachter and the request log on", () => {
    const r = loadConfig(production);
    if (!r.ok) throw new Error(r.error.problems.join("; "));
    expect(r.value.observability).toEqual({
      requestLog: true,
      otlpEndpoint: undefined,
      serviceName: "poortwachter",
    });
  });

  it("take a collector, a service name and the request log off", () => {
    const r = loadConfig({
      ...production,
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector:4318",
      OTEL_SERVICE_NAME: "poortwachter-maastricht",
      REQUEST_LOG: "false",
    });
    if (!r.ok) throw new Error(r.error.problems.join("; "));
    expect(r.value.observability).toEqual({
      requestLog: false,
      otlpEndpoint: "http://otel-collector:4318",
      serviceName: "poortwachter-maastricht",
    });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector:4318" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://otel-collector:4317" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
    [{ OTEL_SERVICE_NAME: "" }, "OTEL_SERVICE_NAME"],
    [{ REQUEST_LOG: "maybe" }, "REQUEST_LOG"],
  ])("refuses %o, naming %s", (env, name) => {
    const r = loadConfig({ ...production, ...env });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.problems.some((p) => p.startsWith(name))).toBe(true);
  });
});
