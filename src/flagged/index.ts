export {
  checkFirst,
  checkFlag,
  DEFAULT_FIRST,
  FIRST_RULE,
  FLAG_RULE,
  FLAGS,
  MAX_FIRST,
  parseFlaggedArgs,
  parseNote,
  parseSince,
  SINCE_RULE,
  type FlaggedArgs,
  type FlaggedQuery,
} from "./flagged-input.ts";
export { flaggedEventsFor, reviewFlaggedEvent, type FlaggedEvent } from "./flagged-service.ts";
