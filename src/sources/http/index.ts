export { requestJson, type FetchLike, type JsonRequest, type JsonResponse } from "./http-json.ts";
export { sourceErrorForStatus, sourceErrorForThrown } from "./http-errors.ts";
export {
  createClientCredentialsTokenProvider,
  type ClientCredentialsOptions,
  type TokenProvider,
} from "./client-credentials.ts";
export { createAuthHeaders, type AuthHeaderOptions, type AuthHeaders } from "./upstream-auth.ts";
export {
  startPostJsonSimulator,
  validateParams,
  type Answer,
  type PostJsonSimulator,
  type PostJsonSimulatorOptions,
  type RecordedRequest as PostJsonRecordedRequest,
} from "./post-json-simulator.ts";
export {
  SIMULATOR_FAULTS,
  answerFault,
  createFaultSwitch,
  createRequestLog,
  keptHeaders,
  listenSimulator,
  readBody,
  simulatorHandle,
  type FaultAnswers,
  type FaultSwitch,
  type SimulatorHandle,
  type RequestLog,
  type RequestLogOptions,
  DEFAULT_REQUEST_LOG_SIZE,
  type SimulatorFault,
  type SimulatorServer,
} from "./simulator-harness.ts";
export {
  startGetSimulator,
  type GetRecordedRequest,
  type GetRouteAnswer,
  type GetRouteRequest,
  type GetSimulatorOptions,
} from "./get-simulator.ts";
export {
  invalidParam,
  problem,
  problemFrom,
  type InvalidParam,
  type Problem,
  type ProblemStatus,
  type ProblemText,
} from "./problem-json.ts";
export { addDays, isIsoDate } from "./iso-date.ts";
export {
  createUpstreamJson,
  type UpstreamClientOptions,
  type UpstreamJson,
  type UpstreamJsonOptions,
  type UpstreamJsonRequest,
} from "./upstream-json.ts";
export { passThrough, type RunOptions, type SourceResilience, type UpstreamCall } from "./resilience.ts";
export {
  createSourceResilience,
  DEFAULT_QUEUE_SIZE,
  type CircuitName,
  type ResilientSource,
  type SourceResilienceOptions,
  type SourceResilienceState,
} from "./source-resilience.ts";
export { FAILURE_HANDLING } from "./resilience-failures.ts";
export { WaitingLine, WaitingLineError, type WaitingLineOptions } from "./waiting-line.ts";
