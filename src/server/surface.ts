import type { ApolloServerPlugin, PersistedQueryOptions } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";

/**
 * What the GraphQL endpoint shows of itself, by mode (issue 12). Outside demo mode a caller learns
 * the schema from `schema/` and the README, never from the running gateway: no introspection (for
 * any role: `__schema` and `__type` are refused in validation, `__typename` still answers), no
 * "Did you mean …" suggestions (the error formatter drops them, format-error.ts), no automatic
 * persisted queries (APQ would let any client register any document), no landing page, and no
 * stack trace ever (`includeStacktraceInErrorResponses: false` and the formatter). Demo mode keeps
 * introspection and APQ for GraphQL tools, and shows a small local page instead of Apollo's
 * default, which loads its code from a CDN.
 */
export interface GraphQLSurface {
  /** Apollo's `introspection` option. */
  readonly introspection: boolean;
  /** Apollo's `persistedQueries`: `false` refuses every `extensions.persistedQuery`; `{}` is APQ
   * with Apollo's bounded in-memory cache. */
  readonly persistedQueries: false | PersistedQueryOptions;
  /** The one plugin that implements `renderLandingPage`; without it Apollo adds its CDN page. */
  readonly landingPage: ApolloServerPlugin;
}

export function graphqlSurface(demoMode: boolean): GraphQLSurface {
  return {
    introspection: demoMode,
    persistedQueries: demoMode ? {} : false,
    landingPage: demoMode ? localLandingPage() : ApolloServerPluginLandingPageDisabled(),
  };
}

/**
 * The page a browser gets from `GET /graphql` in demo mode: how to call the gateway, nothing
 * loaded from elsewhere (no script, no style sheet, no image; `default-src 'none'` says so).
 */
export const DEMO_LANDING_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Poortwachter (demo)</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.4}pre{background:#eee;padding:1em;overflow:auto}</style>
</head>
<body>
<h1>Poortwachter (demo mode)</h1>
<p>This is the GraphQL endpoint of a demo gateway. It answers <code>POST /graphql</code> with a bearer token;
every request is checked against the privacy protocol and audited.</p>
<pre>TOKEN=$(npm run -s token -- --sub analist.jansen --role analyst)
curl -s http://127.0.0.1:4000/graphql \\
  -H "authorization: Bearer $TOKEN" -H "content-type: application/json" \\
  -d '{"query":"{ me { subject } }"}'</pre>
<p>The schema is in <code>schema/</code>; the README walks through the protocol.
Outside demo mode there is no page here.</p>
</body>
</html>
`;

function localLandingPage(): ApolloServerPlugin {
  return {
    serverWillStart: () =>
      Promise.resolve({ renderLandingPage: () => Promise.resolve({ html: DEMO_LANDING_PAGE }) }),
  };
}
