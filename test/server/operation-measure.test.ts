import { getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { buildSchema } from "../../src/server/index.ts";
import { createOperationMeasurer } from "../../src/server/operation-measure.ts";

/** What src/server/operation-measure.ts counts, on documents; the limits on it are test/server/operation-limits.test.ts. */
const measure = createOperationMeasurer(buildSchema(), 10);
const measured = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  return measure(document, operation, variables);
};

describe("hops", () => {
  it("count the fields that lead from one subject view to another, on the deepest path", () => {
    expect(measured(`{ case(id: "1") { persoon(bsn: "1") { bsn brp { burgerservicenummer } } } }`).hops).toBe(
      0,
    );
    expect(
      measured(
        `{ case(id: "1") { persoon(bsn: "1") { adres { bewoners { bsn } } eerdereAdressen { hits { probe } } } } }`,
      ).hops,
    ).toBe(2);
    expect(
      measured(
        `{ case(id: "1") { onderneming(kvkNummer: "1") { vestigingen { ondernemingen { kvkNummer } } } } }`,
      ).hops,
    ).toBe(2);
    // HrOnderneming.vestigingen is registry data, not a hop.
    expect(
      measured(
        `{ case(id: "1") { onderneming(kvkNummer: "1") { handelsregister { vestigingen { adres { postcode } } } } } }`,
      ).hops,
    ).toBe(0);
  });

  it("go through named and inline fragments", () => {
    const m = measured(`{ case(id: "1") { persoon(bsn: "1") { ...A } } }
      fragment A on PersoonView { adres { ... on ObjectView { ...B } } }
      fragment B on ObjectView { bewoners { ... { adres { bewoners { bsn } } } } }`);
    expect(m.hops).toBe(4);
  });
});

describe("fan-out", () => {
  it("counts every field once and multiplies a list's subtree by the list size", () => {
    // case 1 + persoon 1 + bsn 1 + eerdereAdressen 10 x (1 + bewoners 10 x (1 + bsn 1))
    expect(
      measured(`{ case(id: "1") { persoon(bsn: "1") { bsn eerdereAdressen { bewoners { bsn } } } } }`).fanout,
    ).toBe(3 + 10 * (1 + 10 * 2));
  });

  it("measures a fragment once however often it is spread, and still counts every spread", () => {
    // Each fragment spreads the next twice: 2^30 spreads of the last one, measured in no time.
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on PersoonView { ...F${i + 1} ...F${i + 1} }`,
    ).join("\n");
    const started = performance.now();
    const m = measured(`{ case(id: "1") { persoon(bsn: "1") { ...F0 } } } ${fragments}
      fragment F30 on PersoonView { a: bsn }`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(m.fanout).toBe(2 + 2 ** 30);
    expect(m.aliases).toBe(2 ** 30);
  });

  it("counts introspection like any other field", () => {
    expect(measured(`{ __schema { types { fields { name } } } }`).fanout).toBe(1 + 10 * (1 + 10 * 2));
  });
});

describe("subjects", () => {
  it("are the distinct arguments of the subject fields, literal or variable", () => {
    const m = measured(
      `query($a: String!, $b: String!) { case(id: "1") {
        p1: persoon(bsn: "111") { bsn } p2: persoon(bsn: $a) { bsn } p3: persoon(bsn: $b) { bsn }
        o1: object(postcode: "6211AB", huisnummer: 1) { hits { probe } }
        o2: object(huisnummer: 1, postcode: "6211AB") { hits { probe } }
        onderneming(kvkNummer: "12345678") { kvkNummer }
      } }`,
      { a: "111", b: "222" },
    );
    expect(m.subjects).toBe(4);
  });

  it("take a variable's default when the request leaves it out", () => {
    const defs = Array.from({ length: 5 }, (_, i) => `$b${i}: String = "${i}"`).join(", ");
    const body = Array.from({ length: 5 }, (_, i) => `p${i}: persoon(bsn: $b${i}) { bsn }`).join(" ");
    expect(measured(`query(${defs}) { case(id: "1") { ${body} } }`).subjects).toBe(5);
  });

  it("count those reached by a list of cases too", () => {
    const m = measured(`{ cases { persoon(bsn: "1") { bsn } onderneming(kvkNummer: "2") { kvkNummer } } }`);
    expect(m.subjects).toBe(2);
    expect(m.fanout).toBe(10 * (1 + 2 + 2));
  });
});

describe("depth and aliases (GraphQL Armor)", () => {
  it("count field levels, not fragments, and every alias", () => {
    const m = measured(`{ case(id: "1") { ...C } }
      fragment C on Case { x: persoon(bsn: "1") { ... on PersoonView { y: brp { naam { geslachtsnaam } } } } }`);
    expect(m.depth).toBe(5);
    expect(m.aliases).toBe(2);
  });
});

describe("the armor counts, kept per document (issue 15)", () => {
  const query = `query($a: String!, $b: String!) {
    case(id: "1") { x: persoon(bsn: $a) { bsn } y: persoon(bsn: $b) { bsn brp { burgerservicenummer } } } }`;

  it("a document measured again with other variables: the same depth and aliases, its own subjects", () => {
    const document = parse(query);
    const operation = getOperationAST(document);
    if (!operation) throw new Error("no operation");
    const one = measure(document, operation, { a: "1", b: "2" });
    const same = measure(document, operation, { a: "1", b: "1" });
    expect([same.depth, same.aliases]).toEqual([one.depth, one.aliases]);
    expect([one.aliases, one.subjects, same.subjects]).toEqual([2, 2, 1]);
  });

  it("another document, even after the first was measured, is counted afresh", () => {
    const first = measured(query, { a: "1", b: "2" });
    const deeper = measured(
      `{ a: case(id: "1") { b: persoon(bsn: "1") { c: adres { d: bewoners { brp { burgerservicenummer } } } } } }`,
    );
    expect(deeper.aliases).toBe(4);
    expect(deeper.depth).toBeGreaterThan(first.depth);
  });
});
