import type { ReadLedger } from "../src/audit/index.ts";
import type { CaseError, VisibleCase } from "../src/cases/index.ts";
import type { DisclosureContext } from "../src/disclosure/index.ts";
import type { Result } from "../src/shared/index.ts";

/** What every resolver receives: the disclosure context plus a per-request cache of visible cases. */
export interface GatewayContext extends DisclosureContext {
  readonly visibleCases: Map<string, Promise<Result<VisibleCase, CaseError>>>;
  /** What the request read of case data, written as access records before its answer leaves. */
  readonly reads: ReadLedger;
}
