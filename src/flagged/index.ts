export {
  checkFirst,
  checkFlag,
  DEFAULT_FIRST,
  FIRST_RULE,
  FLAG_RULE,
  FLAGS,
  QUEUE_FLAGS,
  MAX_FIRST,
  parseFlaggedArgs,
  parseNote,
  parseSince,
  SINCE_RULE,
  type FlaggedArgs,
  type FlaggedQuery,
} from "./flagged-input.ts";
export {
  flaggedEventsFor,
  patternRecordsFor,
  reviewFlaggedEvent,
  type FlaggedEvent,
  type FlaggedPattern,
} from "./flagged-service.ts";
