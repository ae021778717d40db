import { isInterfaceType, isObjectType, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { ARGUMENT_RULES, VALIDATED_ELSEWHERE } from "../../src/server/argument-rules.ts";
import { checkArguments, fieldUses } from "../../src/server/edge-validation.ts";
import { buildSchema } from "../../src/server/schema.ts";
import { loadPolicySet } from "../../src/policy/index.ts";

/**
 * Every argument of every field of the schema has an edge rule (src/server/argument-rules.ts) or
 * is declared validated elsewhere with the reason; a new argument without either fails here (and
 * is refused at the edge until it has one). Neither table names an argument the schema lacks.
 */
const schema = buildSchema();

const schemaArguments = (): string[] =>
  Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith("__"))
    .filter((t) => isObjectType(t) || isInterfaceType(t))
    .flatMap((t) =>
      Object.values(
        (
          t as { getFields(): Record<string, { name: string; args: readonly { name: string }[] }> }
        ).getFields(),
      ).flatMap((f) => f.args.map((a) => `${t.name}.${f.name}.${a.name}`)),
    )
    .sort();

describe("argument rules cover the schema", () => {
  it("every argument has a rule or a reason why it is validated elsewhere, not both", () => {
    const uncovered = schemaArguments().filter((k) => !(k in ARGUMENT_RULES) && !(k in VALIDATED_ELSEWHERE));
    expect(uncovered, "arguments without an edge rule").toEqual([]);
    const both = Object.keys(ARGUMENT_RULES).filter((k) => k in VALIDATED_ELSEWHERE);
    expect(both).toEqual([]);
  });

  it("names no argument the schema does not have", () => {
    const all = new Set(schemaArguments());
    expect(
      [...Object.keys(ARGUMENT_RULES), ...Object.keys(VALIDATED_ELSEWHERE)].filter((k) => !all.has(k)),
    ).toEqual([]);
  });

  it("gives every rule its words and every exemption its reason", () => {
    for (const [key, rule] of Object.entries(ARGUMENT_RULES))
      expect(rule.rule.length, key).toBeGreaterThan(10);
    for (const [key, reason] of Object.entries(VALIDATED_ELSEWHERE))
      expect(reason.length, key).toBeGreaterThan(10);
  });

  it("sends every argument that reaches a registry through a rule", () => {
    // The view types are where registries are asked; nothing of theirs may be exempt.
    const views = [
      "Case.persoon",
      "Case.onderneming",
      "Case.object",
      "PersoonView",
      "ObjectView",
      "OndernemingView",
    ];
    const exempt = Object.keys(VALIDATED_ELSEWHERE).filter((k) => views.some((v) => k.startsWith(`${v}.`)));
    expect(exempt).toEqual([]);
  });
});

describe("the edge walk", () => {
  const operation = (doc: ReturnType<typeof parse>) =>
    doc.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;

  it("finds fields in inline fragments and spreads, once per selection set however often it is spread", () => {
    const spreads = Array.from(
      { length: 12 },
      (_, i) => `f${i}: object(postcode: "6200AA", huisnummer: ${i + 1}) { ...a }`,
    );
    const doc =
      parse(`{ case(id: "x") { ${spreads.join(" ")} persoon(bsn: "1") { ... on PersoonView { hits { probe } } } } }
      fragment a on ObjectView { ...b ...b }
      fragment b on ObjectView { bewoners(peildatum: "2026-01-01") { ...c ...c } }
      fragment c on PersoonView { verify(input: {}) { overall } }`);
    const uses = fieldUses(schema, doc, operation(doc)).map((u) => `${u.parent.name}.${u.field.name}`);
    expect(uses.filter((u) => u === "ObjectView.bewoners")).toHaveLength(1);
    expect(uses.filter((u) => u === "PersoonView.verify")).toHaveLength(1);
    expect(uses.filter((u) => u === "Case.object")).toHaveLength(12);
    expect(uses).toContain("PersoonView.hits");
  });

  it("refuses an argument without a rule (fail closed)", async () => {
    const loaded = await loadPolicySet("policies");
    if (!loaded.ok) throw new Error("policy");
    const doc = parse(`{ case(id: "x") { persoon(bsn: "924691347") { hits { probe } } } }`);
    const { ["Case.persoon.bsn"]: _bsn, ...rules } = ARGUMENT_RULES;
    expect(
      checkArguments(schema, doc, operation(doc), {}, loaded.value, {
        rules,
        elsewhere: VALIDATED_ELSEWHERE,
      }),
    ).toEqual({ kind: "no_rule", argument: "Case.persoon.bsn" });
    expect(checkArguments(schema, doc, operation(doc), {}, loaded.value)).toEqual({ kind: "ok" });
  });
});
