export { requestJson, type FetchLike, type JsonRequest, type JsonResponse } from "./http-json.ts";
export { sourceErrorForStatus, sourceErrorForThrown } from "./http-errors.ts";
export {
  createClientCredentialsTokenProvider,
  type ClientCredentialsOptions,
  type TokenProvider,
} from "./client-credentials.ts";
export { createAuthHeaders, type AuthHeaderOptions, type AuthHeaders } from "./upstream-auth.ts";
