import type { ApolloServerPlugin } from "@apollo/server";

/**
 * Marks a response whose errors are all GraphQL request errors of a well-formed request (a
 * syntax error, a validation error, a variable that does not coerce, a refusal by the operation
 * limits or the edge validation): the HTTP server then picks the status the response's media type
 * calls for and removes the mark ({@link requestErrorStatus}). Never sent to a client.
 */
export const REQUEST_ERROR_MARK = "x-poortwachter-request-error";

/** The codes, before the error formatter, of a request error of a well-formed request. */
const REQUEST_ERROR_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"]);

/**
 * Apollo answers every request error with 400. That is what GraphQL over HTTP asks of an
 * `application/graphql-response+json` response; this plugin only marks such a response, so that
 * the HTTP server can answer 200 where the response is `application/json` (below). A malformed
 * request (no query, a non-string query, variables that are not a map) has `BAD_REQUEST` and
 * stays 400 whatever the media type; so does anything with a status other than 400.
 */
export function requestErrorStatusPlugin(): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse({ response, errors }) {
          const requestErrors =
            response.body.kind === "single" &&
            response.body.singleResult.data === undefined &&
            errors !== undefined &&
            errors.length > 0 &&
            errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions["code"])));
          if (requestErrors && response.http.status === 400)
            response.http.headers.set(REQUEST_ERROR_MARK, "1");
          return Promise.resolve();
        },
      }),
  };
}

/** Whether an `Accept` header names `application/json` itself (not only a wildcard), with q above 0. */
export function namesApplicationJson(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((range) => {
    const [type, ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    return type === "application/json" && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/**
 * The status of a response by its media type (GraphQL over HTTP, "application/json" and
 * "application/graphql-response+json"): a request error of a well-formed request is 200 when the
 * client named `application/json` in its `Accept` header (a legacy client reads the errors from
 * the body, whatever the status) and 400 otherwise. A request with no `Accept` or only a wildcard
 * (`fetch` and `curl` send `*` `/` `*`) gets `application/json` with the 400 the gateway has always
 * answered (README "Errors"), which the specification allows for that media type.
 */
export function requestErrorStatus(
  status: number,
  headers: Record<string, string>,
  accept: string | undefined,
): number {
  const marked = headers[REQUEST_ERROR_MARK] !== undefined;
  delete headers[REQUEST_ERROR_MARK];
  const json = (headers["content-type"] ?? "").startsWith("application/json");
  return marked && json && namesApplicationJson(accept) ? 200 : status;
}
