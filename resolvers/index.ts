import { AuditLogQuery } from "./audit-log.ts";
import { BrkObjectView, BrkPersoonView } from "./brk.ts";
import { Case } from "./case.ts";
import { FlaggedMutation, FlaggedPatternType, FlaggedQuery } from "./flagged.ts";
import { Mutation } from "./mutation.ts";
import { PersoonView } from "./persoon.ts";
import { PolicyExplainQuery } from "./policy-explain.ts";
import { PolicyVersionsMutation, PolicyVersionsQuery } from "./policy-versions.ts";
import { PrivacyCheck } from "./privacy-check.ts";
import { Query } from "./query.ts";
import { ObjectRegister, OndernemingRegister, PersoonRegister, RegisterRecord } from "./register.ts";
import { ReportQuery } from "./reports.ts";
import { RetentionQuery } from "./retention.ts";
import { RightsEnums, RightsMutation, RightsQuery } from "./rights.ts";
import { ObjectView, OndernemingView } from "./views.ts";
import { WeighingCase, WeighingMutation } from "./weighing.ts";

/** Thin resolvers: arguments in, use case called, result out. Registry types get theirs from the guard. */
export const resolvers = {
  Query: {
    ...Query,
    ...ReportQuery,
    ...RightsQuery,
    ...FlaggedQuery,
    ...AuditLogQuery,
    ...RetentionQuery,
    ...PolicyExplainQuery,
    ...PolicyVersionsQuery,
  },
  Mutation: {
    ...Mutation,
    ...RightsMutation,
    ...WeighingMutation,
    ...FlaggedMutation,
    ...PolicyVersionsMutation,
  },
  ...RightsEnums,
  Case: { ...Case, ...WeighingCase },
  PersoonView: { ...PersoonView, ...PersoonRegister, ...BrkPersoonView },
  ObjectView: { ...ObjectView, ...ObjectRegister, ...BrkObjectView },
  OndernemingView: { ...OndernemingView, ...OndernemingRegister },
  RegisterRecord,
  PrivacyCheck,
  FlaggedPattern: FlaggedPatternType,
};
export type { GatewayContext } from "./context.ts";
