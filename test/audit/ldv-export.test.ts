/**
 * Logboek Dataverwerkingen (issue 13): every audit record of a representative workflow names a
 * register activity, is its own span under the request's span, has a status, and lists the registry
 * calls that continued its trace; the export gives one log line per record in the standard's shape
 * (checked against a JSON Schema of the vendored specification's field tables, and against the
 * tables themselves); the new fields are in the content hash while records written before them
 * still verify; `npm run audit -- export --format ldv` prints the lines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import formatsPlugin from "ajv-formats";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createAuditLog,
  ldvRecordOf,
  tombstoneCaseRecords,
  verifyChain,
  type AuditRecord,
  type LdvRecord,
} from "../../src/audit/index.ts";
import { insertStatement } from "../../src/audit/audit-row.ts";
import { contentHashOf, contentOf, GENESIS_HASH, linkHash } from "../../src/audit/hash-chain.ts";
import { runAuditCommand } from "../../src/cli/audit-command.ts";
import { runInTrace, traceHeaders } from "../../src/context/index.ts";
import { migrate, openDb, type Db } from "../../src/store/index.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { referenceDir } from "../utils/openapi-fields.ts";
import { clearAllRequests, simulatorOf, SOURCES } from "../utils/source-simulators.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { BSN, entry, HMAC_KEY } from "./audit-fixtures.ts";

const HEX16 = /^[0-9a-f]{16}$/;
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

const WALK = `query($id: ID!, $research: ID!) {
  regie: case(id: $id) { persoon(bsn: "924691347") {
    brp { naam { geslachtsnaam } } vergunningen { soort } brk { identificatie } eerdereAdressen { bag { adres { postcode } } }
    adres { bag { adres { postcode } } bewoners { bsn } ondernemingen { kvkNummer } woz { identificatie } } } }
  research: case(id: $research) { onderneming(kvkNummer: "88888888") { hits { probe result } } } }`;

/** The rows of a markdown table under `heading` in a vendored document, as cells. */
function tableAfter(file: string, heading: string): string[][] {
  const text = readFileSync(join(referenceDir, file), "utf8");
  const start = text.indexOf(heading);
  expect(start, `${heading} in ${file}`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of text.slice(start).split("\n").slice(1)) {
    if (line.startsWith("|"))
      rows.push(
        line
          .split("|")
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    else if (rows.length > 0) break;
  }
  return rows.slice(2); // header and separator
}
const fieldName = (cell: string) => /`([^`]+)`/.exec(cell)?.[1] ?? cell;

/** The mandatory fields of a log line, from the 2025 chapter's interface table. */
const REQUIRED_FIELDS = tableAfter("logboek-dataverwerkingen-specificaties-index.md", "### Interface")
  .filter((r) => r[2] === "verplicht")
  .map((r) => fieldName(r[0]!));
/** The `dpl.core` attributes a line about a data subject carries (2025 chapter, `attributes`). */
const SUBJECT_ATTRIBUTES = tableAfter(
  "logboek-dataverwerkingen-specificaties-index.md",
  "#### `attributes`",
).map((r) => r[0]!);
/** The fields of a `foreign_operation` message (2024 chapter). */
const FOREIGN_FIELDS = tableAfter("logboek-dataverwerkingen.md", "Het veld `foreign_operation` is een").map(
  (r) => fieldName(r[0]!),
);

/**
 * A JSON Schema of a log line as the vendored chapters define it: ids as hex of 16 and 8 bytes,
 * status from the 2025 enumeration and status_code from the 2024 one, times in ms since the epoch,
 * the processing activity a URI, foreign_operation messages with their three fields.
 */
const LDV_SCHEMA = {
  type: "object",
  required: [...REQUIRED_FIELDS, "status_code"],
  additionalProperties: false,
  properties: {
    trace_id: { type: "string", pattern: "^[0-9a-f]{32}$" },
    span_id: { type: "string", pattern: "^[0-9a-f]{16}$" },
    parent_span_id: { type: "string", pattern: "^[0-9a-f]{16}$" },
    name: { type: "string", minLength: 1 },
    status: { enum: ["Unset", "Ok", "Error"] },
    status_code: { enum: ["STATUS_CODE_UNKNOWN", "STATUS_CODE_OK", "STATUS_CODE_ERROR"] },
    start_time: { type: "integer", minimum: 0 },
    end_time: { type: "integer", minimum: 0 },
    resource: {
      type: "object",
      required: ["attributes"],
      properties: { attributes: { type: "object", additionalProperties: { type: "string" } } },
    },
    attributes: {
      type: "object",
      required: ["dpl.core.processing_activity_id"],
      additionalProperties: false,
      properties: {
        "dpl.core.processing_activity_id": { type: "string", format: "uri" },
        "dpl.core.data_subject_id": { type: "string", pattern: "^[0-9a-f]{64}$" },
        "dpl.core.data_subject_id_type": { enum: ["BSN", "KvK-nummer", "BAG-id", "adres"] },
      },
      dependentRequired: { "dpl.core.data_subject_id": ["dpl.core.data_subject_id_type"] },
    },
    foreign_operation: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: FOREIGN_FIELDS,
        additionalProperties: false,
        properties: {
          trace_id: { type: "string", pattern: "^[0-9a-f]{32}$" },
          operation_id: { type: "string", pattern: "^[0-9a-f]{16}$" },
          entity: { type: "string", format: "uri" },
        },
      },
    },
  },
} as const;
const ajv = new Ajv({ allErrors: true, strict: false });
formatsPlugin.default(ajv);
const validateLine = ajv.compile(LDV_SCHEMA);

describe("the vendored field tables", () => {
  it("name the fields the issue lists", () => {
    expect(REQUIRED_FIELDS).toEqual([
      "trace_id",
      "span_id",
      "status",
      "name",
      "start_time",
      "end_time",
      "attributes",
    ]);
    expect(SUBJECT_ATTRIBUTES).toEqual([
      "dpl.core.processing_activity_id",
      "dpl.core.data_subject_id",
      "dpl.core.data_subject_id_type",
    ]);
    expect(FOREIGN_FIELDS).toEqual(["trace_id", "operation_id", "entity"]);
  });
});

describe("a traced workflow's audit records and their export", () => {
  let h: HttpApp;
  let written: readonly AuditRecord[];
  let requestSpans: Set<string>;
  /** Span ids each source's simulator saw in `traceparent`. */
  const seen = new Map<string, Set<string>>();

  beforeAll(async () => {
    h = await startHttpApp();
    const token = await h.t.token("analist.jansen", "analyst");
    const caseId = (await h.t.demoCase("regie")).id;
    const research = (await h.t.demoCase("bronnenonderzoek")).id;
    const before = (await h.t.app.audit.list({ limit: 1_000_000 })).length;
    clearAllRequests(h.t.app);
    const res = await h.post(WALK, {
      token,
      variables: { id: caseId, research },
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    // A refused step (a department member may not walk the case) and a case move, in requests of their own.
    const member = await h.t.token("medewerker", "department_member", "vergunningen");
    await h.post(WALK, { token: member, variables: { id: caseId, research } });
    written = (await h.t.app.audit.list({ limit: 1_000_000 })).slice(before);
    requestSpans = new Set(written.map((r) => r.parentSpanId ?? ""));
    for (const { source } of SOURCES) {
      const requests = simulatorOf(h.t.app, source).requests as readonly {
        headers?: Record<string, string>;
      }[];
      seen.set(source, new Set(requests.map((r) => r.headers?.traceparent?.split("-")[2] ?? "")));
    }
  });
  afterAll(() => h.close());

  it("every record names an activity of the register, its phase's for case work", () => {
    const register = h.t.app.policy.processingActivities;
    expect(written.length).toBeGreaterThan(10);
    for (const r of written) {
      expect(register.byId(r.processingActivity), `${r.operation}: ${r.processingActivity}`).toBeDefined();
      if (r.phase) expect(r.processingActivity).toBe(register.forPhase(r.phase));
    }
    expect(new Set(written.map((r) => r.decision))).toEqual(new Set(["allow", "deny"]));
  });

  it("every record is its own span under its request's span, with the status of its decision", () => {
    const spans = written.map((r) => r.spanId ?? "");
    for (const s of spans) expect(s).toMatch(HEX16);
    expect(new Set(spans).size).toBe(spans.length);
    // Two requests: two parent spans, neither the caller's (that is the request span's parent).
    expect(requestSpans.size).toBe(2);
    for (const p of requestSpans) expect(p).toMatch(HEX16);
    expect(requestSpans).not.toContain(CALLER_SPAN);
    for (const r of written) {
      expect(r.status).toBe(r.decision === "allow" ? "Ok" : r.decision === "deny" ? "Unset" : "Error");
      expect(r.startedAt!.getTime()).toBeLessThanOrEqual(r.at.getTime());
    }
    const traced = written.filter((r) => r.traceId === CALLER_TRACE);
    expect(new Set(traced.map((r) => r.parentSpanId)).size).toBe(1);
  });

  it("lists, for a record of a source, exactly calls that source's simulator saw", () => {
    const withCalls = written.filter((r) => r.foreignOperations);
    expect(new Set(withCalls.map((r) => r.source))).toEqual(new Set(SOURCES.map((s) => s.source)));
    for (const r of withCalls)
      for (const f of r.foreignOperations!) {
        expect(seen.get(r.source!), `${r.operation} ${f.target}`).toContain(f.spanId);
        for (const [other, spans] of seen) if (other !== r.source) expect(spans).not.toContain(f.spanId);
      }
    // A refusal before any call lists none.
    for (const r of written.filter((x) => x.decision === "deny")) expect(r.foreignOperations).toBeUndefined();
  });

  it("exports one valid log line per record, the subject only as its pseudonym", () => {
    const register = h.t.app.policy.processingActivities;
    const lines = written.map((r) => ldvRecordOf(r, register.uriOf)!);
    for (const [i, line] of lines.entries()) {
      const r = written[i]!;
      expect(validateLine(line), JSON.stringify(validateLine.errors)).toBe(true);
      for (const field of REQUIRED_FIELDS) expect(line).toHaveProperty(field);
      expect(line).toMatchObject({
        trace_id: r.traceId,
        span_id: r.spanId,
        parent_span_id: r.parentSpanId,
        name: r.operation,
        start_time: r.startedAt!.getTime(),
        end_time: r.at.getTime(),
      });
      expect(line.attributes["dpl.core.processing_activity_id"]).toBe(
        `urn:poortwachter:verwerkingsactiviteit:${r.processingActivity}`,
      );
      if (r.subjectPseudonym) {
        for (const a of SUBJECT_ATTRIBUTES) expect(line.attributes).toHaveProperty([a]);
        expect(line.attributes["dpl.core.data_subject_id"]).toBe(r.subjectPseudonym);
      }
      if (r.foreignOperations)
        expect(line.foreign_operation).toEqual(
          r.foreignOperations.map((f) => ({ trace_id: r.traceId, operation_id: f.spanId, entity: f.target })),
        );
    }
    expect(lines.filter((l) => l.attributes["dpl.core.data_subject_id"]).length).toBeGreaterThan(5);
    expect(lines.filter((l) => l.foreign_operation).length).toBeGreaterThan(5);
    const text = JSON.stringify(lines);
    for (const id of ["924691347", "88888888"]) expect(text).not.toContain(id);
  });

  it("the schema can fail: a raw BSN, a missing span or a status outside the enumeration", () => {
    const r = written.find((x) => x.subjectPseudonym)!;
    const line = ldvRecordOf(r, h.t.app.policy.processingActivities.uriOf)!;
    const bad: unknown[] = [
      { ...line, attributes: { ...line.attributes, "dpl.core.data_subject_id": "924691347" } },
      { ...line, span_id: undefined },
      { ...line, status: "Denied" },
      {
        ...line,
        attributes: { ...line.attributes, "dpl.core.processing_activity_id": "maastricht.regie.v1" },
      },
    ];
    for (const b of bad) expect(validateLine(JSON.parse(JSON.stringify(b)))).toBe(false);
  });
});

describe(`the LDV fields in the hash chain (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  const fresh = async () => {
    const db = await createTestDb();
    dbs.push(db);
    return {
      db,
      log: createAuditLog({ db, hmacKey: HMAC_KEY, upstreamUrls: { brp: ["http://brp.test/"] } }),
    };
  };

  it("records written before migration 017 still verify, and new ones chain on", async () => {
    const { db, log } = await fresh();
    // A record as the gateway wrote it before: no span of its own, no status, start or calls.
    const legacy = {
      id: "legacy-1",
      at: new Date("2025-01-01T10:00:00.000Z"),
      kind: "disclosure",
      actor: "analyst-1",
      roles: ["analyst"],
      caseId: "case-1",
      processingActivity: "ondermijning.bronnenonderzoek",
      operation: "brp.hits",
      source: "brp",
      decision: "allow",
      reason: "old",
      policyHash: "h",
      traceId: "demo-seed",
    } as const;
    const contentHash = contentHashOf(legacy);
    const { sql, params } = insertStatement([
      { ...legacy, contentHash, prevHash: GENESIS_HASH, hash: linkHash(GENESIS_HASH, contentHash) },
    ]);
    await db.query(sql, params);
    expect((await log.append([entry({ spanId: undefined })])).ok).toBe(true);
    expect(await verifyChain(db)).toEqual({ ok: true, records: 2 });
    const [old] = await log.list();
    expect(old).not.toHaveProperty("status");
    // Exported with ids derived from the record, stably, and the status of its decision.
    const line = ldvRecordOf(old!, (id) => `urn:x:${id}`)!;
    expect(validateLine(line), JSON.stringify(validateLine.errors)).toBe(true);
    expect(line).toMatchObject({
      status: "Ok",
      start_time: legacy.at.getTime(),
      end_time: legacy.at.getTime(),
    });
    expect(ldvRecordOf(old!, (id) => `urn:x:${id}`)).toEqual(line);
  });

  it("covers the new fields: changing one breaks the content hash", async () => {
    const { log } = await fresh();
    const appended = await runInTrace(
      CALLER_TRACE,
      async () => {
        traceHeaders("http://brp.test/haalcentraal/api/brp/personen?x=1");
        traceHeaders("http://bag.test/lvbag/individuelebevragingen/v2/adressen");
        return log.append([
          entry({
            spanId: undefined,
            traceId: CALLER_TRACE,
            startedAt: new Date("2025-03-01T08:59:59.000Z"),
          }),
        ]);
      },
      undefined,
      "1111111111111111",
    );
    if (!appended.ok) expect.fail(appended.error.reason);
    const [r] = appended.value;
    expect(r).toMatchObject({ parentSpanId: "1111111111111111", status: "Ok" });
    // Only the brp call belongs to a brp record; the query never reaches the record.
    expect(r!.foreignOperations).toEqual([
      { spanId: expect.stringMatching(HEX16), target: "http://brp.test/haalcentraal/api/brp/personen" },
    ]);
    expect(contentHashOf(contentOf(r!))).toBe(r!.contentHash);
    for (const changed of [
      { ...r!, status: "Error" as const },
      { ...r!, parentSpanId: "2222222222222222" },
      { ...r!, startedAt: new Date(0) },
      { ...r!, foreignOperations: [] },
    ])
      expect(contentHashOf(contentOf(changed))).not.toBe(r!.contentHash);
  });

  it("a tombstone destroys the parent span and the calls, and the trigger refuses rewriting a status", async () => {
    const { db, log } = await fresh();
    await runInTrace(CALLER_TRACE, async () => {
      traceHeaders("http://brp.test/p");
      await log.append([entry({ subject: BSN, spanId: undefined })]);
    });
    await expect(db.query("UPDATE audit_log SET tombstone = true, status = 'Error'")).rejects.toThrow(
      /append-only/,
    );
    await db.transaction((tx) => tombstoneCaseRecords(tx, "case-1"));
    const rows = await db.query<{
      parent_span_id: string | null;
      foreign_operations: unknown;
      status: string;
    }>("SELECT parent_span_id, foreign_operations, status FROM audit_log");
    expect(rows).toEqual([{ parent_span_id: null, foreign_operations: null, status: "Ok" }]);
    expect((await verifyChain(db)).ok).toBe(true);
    const [tomb] = await log.list();
    expect(ldvRecordOf(tomb!, (id) => id)).toBeUndefined();
  });
});

describe("npm run audit -- export --format ldv", () => {
  const KEY = "k".repeat(32);
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  async function dataDir(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-ldv-"));
    dirs.push(dir);
    writeFileSync(join(dir, "audit-hmac.key"), KEY);
    const db = await openDb({ dataDir: join(dir, "pglite") });
    expect((await migrate(db)).ok).toBe(true);
    const log = createAuditLog({ db, hmacKey: KEY });
    const base = {
      traceId: CALLER_TRACE,
      spanId: undefined,
      processingActivity: "maastricht.bronnenonderzoek.v1",
    };
    expect(
      (
        await log.append([
          entry({ ...base, caseId: "case-1" }),
          entry({ ...base, caseId: "case-2" }),
          entry({ ...base, caseId: "case-1", decision: "deny", subject: undefined, subjectType: undefined }),
        ])
      ).ok,
    ).toBe(true);
    await db.close();
    return dir;
  }
  async function run(argv: string[], env: Record<string, string>) {
    let out = "";
    let err = "";
    const code = await runAuditCommand(argv, { env, stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  }

  it("prints one JSON line per record of the case, in the standard's shape", async () => {
    const dir = await dataDir();
    const r = await run(["export", "--format", "ldv", "--case", "case-1", "--as", "po.devries"], {
      DATA_DIR: dir,
    });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as LdvRecord);
    // The case's two records, then the export's own record (it reads through the audited search).
    expect(lines.map((l) => l.name)).toEqual(["brp.hits", "brp.hits", "audit.search"]);
    for (const l of lines) expect(validateLine(l), JSON.stringify(validateLine.errors)).toBe(true);
    expect(lines.map((l) => [l.status, l.status_code])).toEqual([
      ["Ok", "STATUS_CODE_OK"],
      ["Unset", "STATUS_CODE_UNKNOWN"],
      ["Ok", "STATUS_CODE_OK"],
    ]);
    expect(lines[2]!.attributes["dpl.core.processing_activity_id"]).toBe(
      "urn:poortwachter:verwerkingsactiviteit:poortwachter.accountability.v1",
    );
    expect(lines[0]!.attributes).toMatchObject({
      "dpl.core.processing_activity_id":
        "urn:poortwachter:verwerkingsactiviteit:maastricht.bronnenonderzoek.v1",
      "dpl.core.data_subject_id": createAuditLog({ db: null as never, hmacKey: KEY }).pseudonymise(
        BSN,
        "bsn",
      ),
      "dpl.core.data_subject_id_type": "BSN",
    });
    expect(lines[1]!.attributes).not.toHaveProperty(["dpl.core.data_subject_id"]);
    expect(r.out).not.toContain(BSN);
  });

  it("refuses another format, naming it, and writes nothing", async () => {
    const dir = await dataDir();
    const r = await run(["export", "--format", "json"], { DATA_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.err).toContain("export: --format ldv is required");
    expect(r.out).toBe("");
    const db = await openDb({ dataDir: join(dir, "pglite") });
    try {
      expect(await db.query("SELECT seq FROM audit_log WHERE operation = 'audit.search'")).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
