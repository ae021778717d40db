import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { createErrorFormatter, requestErrorMessage } from "../../src/server/format-error.ts";
import { GatewayError } from "../../src/shared/index.ts";

describe("error formatter", () => {
  it("keeps a GatewayError's code and message and nothing else", () => {
    const internal: unknown[] = [];
    const format = createErrorFormatter((e) => internal.push(e));
    const e = new GatewayError("PHASE_CONFLICT", "The protocol does not allow a -> b.");
    expect(
      format(
        { message: e.message, path: ["x"], extensions: { code: "PHASE_CONFLICT", stacktrace: ["…"] } },
        e,
      ),
    ).toEqual({
      message: "The protocol does not allow a -> b.",
      path: ["x"],
      extensions: { code: "PHASE_CONFLICT" },
    });
    expect(internal).toEqual([]);
  });

  it("turns anything unknown into INTERNAL_SERVER_ERROR without its message", () => {
    const internal: unknown[] = [];
    const format = createErrorFormatter((e) => internal.push(e));
    const leak = new Error("upstream said: Jansen, 999993653, Meerssenerweg 91");
    const out = format(
      { message: leak.message, path: ["case"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
      leak,
    );
    expect(out).toEqual({
      message: "Internal error.",
      path: ["case"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(internal).toEqual([leak]);
  });

  it("maps request validation errors to BAD_USER_INPUT", () => {
    const format = createErrorFormatter(() => undefined);
    const e = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
    expect(
      format({ message: e.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }, e).extensions,
    ).toEqual({
      code: "BAD_USER_INPUT",
    });
  });

  it("repeats no text of the caller's in a request error, only the schema's names (issue 10)", () => {
    const names = new Set(["Query", "case", "Int", "PersoonView"]);
    expect(requestErrorMessage('Cannot query field "<img src=x>" on type "Query".', names)).toBe(
      'Cannot query field "…" on type "Query".',
    );
    expect(requestErrorMessage('Cannot query field "cas" on type "Query". Did you mean "case"?', names)).toBe(
      'Cannot query field "…" on type "Query".',
    );
    expect(requestErrorMessage('Int cannot represent non-integer value: "<b>x</b>"', names)).toBe(
      'Int cannot represent non-integer value: "…"',
    );
    expect(requestErrorMessage('Syntax Error: Unexpected Name "secret".', names)).toBe(
      "Syntax error: the document is not valid GraphQL.",
    );
    expect(
      requestErrorMessage("Syntax Error: Document contains more that 10 tokens. Parsing aborted.", names),
    ).toBe("The document has more than 10 tokens (LIMIT_MAX_TOKENS).");
    expect(requestErrorMessage('Field "case" argument "id" of type "ID!" is required.', names)).toBe(
      'Field "case" argument "…" of type "…" is required.',
    );
  });
});
