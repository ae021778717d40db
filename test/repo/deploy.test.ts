import { readFileSync } from "node:fs";
import { DockerfileParser } from "dockerfile-ast";
import { Deployment } from "kubernetes-models/apps/v1";
import { Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

/**
 * Issue 12, deployment: the container, compose and Kubernetes files cannot be built or applied on
 * the project's machines (no container daemon, no cluster), so this proves what can be proven
 * here. The Dockerfile (parsed with dockerfile-ast) is multi-stage on Node 24, runs as a non-root
 * user with production dependencies only and a HEALTHCHECK, starts the compiled gateway directly,
 * and every RUN step is a command `.ci/run` runs too. The Kubernetes manifests validate against
 * the Kubernetes API schemas (kubernetes-models) and probe `/ready` and `/health`.
 */
const read = (path: string) => readFileSync(path, "utf8");

describe("Dockerfile", () => {
  const dockerfile = DockerfileParser.parse(read("Dockerfile"));
  const instructions = dockerfile.getInstructions();
  const stages = dockerfile.getFROMs();
  const runtimeStart = stages.at(-1)!.getRange().start.line;
  const runtime = instructions.filter((i) => i.getRange().start.line >= runtimeStart);
  const args = (name: string, from = instructions) =>
    from.filter((i) => i.getKeyword() === name).map((i) => i.getArgumentsContent() ?? "");

  it("builds in one stage and runs in another, both on Node 24", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) {
      expect(s.getImageName()).toBe("node");
      expect(s.getImageTag()).toMatch(/^24/);
    }
  });

  it("runs as a non-root user with production dependencies only, and no build tooling", () => {
    expect(args("USER", runtime)).toEqual(["node"]);
    const runs = args("RUN", runtime);
    expect(runs).toEqual(["npm ci --omit=dev --no-audit --no-fund --ignore-scripts"]);
    // Only the compiled output and the policy files come from the build stage or the context.
    expect(args("COPY", runtime).join("\n")).not.toMatch(/node_modules|\bsrc\b/);
  });

  it("starts the compiled gateway directly as PID 1 and checks its health", () => {
    expect(args("ENTRYPOINT", runtime)).toEqual(['["node", "dist/src/cli/main.js"]']);
    expect(args("CMD", runtime)).toEqual(['["serve"]']);
    expect(args("HEALTHCHECK", runtime)[0]).toMatch(/\/ready/);
    expect(args("STOPSIGNAL", runtime)).toEqual(["SIGTERM"]);
  });

  it("builds with the commands CI runs", () => {
    const ci = read(".ci/run");
    for (const run of args("RUN")) expect(ci, `.ci/run runs "${run}"`).toContain(run);
  });
});

describe("Kubernetes manifests", () => {
  const docs = (path: string) =>
    parseAllDocuments(read(path)).map((d) => d.toJS() as Record<string, unknown>);

  it("validate against the Kubernetes API schemas", () => {
    for (const d of docs("deploy/kubernetes/deployment.yaml")) new Deployment(d as never).validate();
    for (const d of docs("deploy/kubernetes/service.yaml")) new Service(d as never).validate();
    for (const d of docs("deploy/kubernetes/secret.example.yaml")) new Secret(d as never).validate();
  });

  it("probe /ready and /health, drain within the grace period, and take secrets from the Secret as files", () => {
    const [deployment] = docs("deploy/kubernetes/deployment.yaml") as {
      spec: {
        replicas: number;
        template: {
          spec: {
            terminationGracePeriodSeconds: number;
            containers: {
              env: { name: string; value: string }[];
              readinessProbe: { httpGet: { path: string } };
              livenessProbe: { httpGet: { path: string } };
            }[];
            volumes: { name: string; secret?: { secretName: string } }[];
          };
        };
      };
    }[];
    const spec = deployment!.spec.template.spec;
    const container = spec.containers[0]!;
    expect(deployment!.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(container.readinessProbe.httpGet.path).toBe("/ready");
    expect(container.livenessProbe.httpGet.path).toBe("/health");
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    expect(Number(env.SHUTDOWN_TIMEOUT_S)).toBeLessThan(spec.terminationGracePeriodSeconds);
    expect(env.AUDIT_HMAC_KEY_FILE).toMatch(/^\/run\/secrets\//);
    expect(env.AUDIT_HMAC_KEY).toBeUndefined();
    expect(spec.volumes.some((v) => v.secret?.secretName === "poortwachter")).toBe(true);
  });
});

describe("compose.yaml", () => {
  it("runs two gateway replicas on one PostgreSQL, secrets as files", () => {
    const compose = parse(read("deploy/compose.yaml")) as {
      services: Record<string, { image?: string; environment?: Record<string, string> }>;
    };
    const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith("gateway"));
    expect(gateways).toHaveLength(2);
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    for (const [, g] of gateways) {
      expect(g.environment?.DATABASE_URL_FILE).toMatch(/^\/run\/secrets\//);
      expect(g.environment?.AUDIT_HMAC_KEY_FILE).toMatch(/^\/run\/secrets\//);
    }
  });
});
