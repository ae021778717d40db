import type { LoadedPolicySet, OutcomeDef } from "../policy/index.ts";
import { freeText, type Result, err, ok } from "../shared/index.ts";
import { asDate, asStrings, type Queryable } from "../store/index.ts";
import type { CaseError } from "./case-record.ts";

/**
 * Where a closed case's signal went (Maastricht art. 14c, 16.2a, 18.3a; Delft art. 12d, 13d, 14e,
 * 17): the kind of receiver, the receiver, and what was handed over. An outcome of the protocol
 * file with `exit` says which kinds it allows and whether one must be named.
 */
export interface CaseExit {
  readonly receiverKind: "gemeente" | "afdeling" | "partner" | "riec";
  /** The municipality, the department id (roles.yaml), the partner (police, OM, …) or the RIEC. */
  readonly receiver: string;
  /** What was handed over, in words (categories of data, documents); never a BSN. */
  readonly handedOver: readonly string[];
}

export interface CaseExitInput {
  readonly receiverKind: string;
  readonly receiver: string;
  readonly handedOver: readonly string[];
}

const bad = (message: string) => err<CaseError>({ kind: "bad_input", message });
const RECEIVER = /^[\p{L}\p{N}][\p{L}\p{N} .,'&()/_-]{0,119}$/u;

/** Checks the exit of a closing against the outcome's `exit` rule, before anything is written. */
export function validateExit(
  policy: LoadedPolicySet,
  outcome: OutcomeDef,
  input: CaseExitInput | null | undefined,
): Result<CaseExit | undefined, CaseError> {
  const rule = outcome.exit;
  if (!input) {
    if (rule?.required)
      return bad(
        `exit: closing as ${outcome.id} hands the signal over; name the receiver (${rule.receivers.join(", ")}) and what was handed over (${rule.article}).`,
      );
    return ok(undefined);
  }
  if (!rule) return bad(`exit: closing as ${outcome.id} hands nothing over; leave exit out.`);
  const kind = rule.receivers.find((k) => k === input.receiverKind);
  if (!kind)
    return bad(
      `exit.receiverKind: not a receiver for ${outcome.id}; it allows ${rule.receivers.join(", ")}.`,
    );
  const receiver = input.receiver.trim();
  if (kind === "afdeling") {
    if (!policy.departments.some((d) => d.id === receiver))
      return bad(
        `exit.receiver: not a department of the policy; it has ${policy.departments.map((d) => d.id).join(", ")}.`,
      );
  } else if (!RECEIVER.test(receiver))
    return bad(
      "exit.receiver: 1-120 letters, digits, spaces or . , ' & ( ) / _ -, starting with a letter or digit.",
    );
  const named = freeText(receiver, "exit.receiver");
  if (!named.ok) return bad(named.error.message);
  if (input.handedOver.length === 0 || input.handedOver.length > 20)
    return bad("exit.handedOver: name between 1 and 20 things that were handed over.");
  const handedOver: string[] = [];
  for (const [i, item] of input.handedOver.entries()) {
    const text = item.trim();
    if (text.length === 0 || text.length > 200) return bad(`exit.handedOver[${i}]: 1 to 200 characters.`);
    const checked = freeText(text, `exit.handedOver[${i}]`);
    if (!checked.ok) return bad(checked.error.message);
    handedOver.push(text);
  }
  return ok({ receiverKind: kind, receiver, handedOver });
}

export const exitRepository = {
  async insert(db: Queryable, caseId: string, exit: CaseExit, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO case_exits (case_id, receiver_kind, receiver, handed_over, at) VALUES ($1, $2, $3, $4, $5)`,
      [caseId, exit.receiverKind, exit.receiver, [...exit.handedOver], at],
    );
  },

  async get(db: Queryable, caseId: string): Promise<(CaseExit & { readonly at: Date }) | undefined> {
    const rows = await db.query<Record<string, unknown>>("SELECT * FROM case_exits WHERE case_id = $1", [
      caseId,
    ]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      receiverKind: String(r.receiver_kind) as CaseExit["receiverKind"],
      receiver: String(r.receiver),
      handedOver: asStrings(r.handed_over),
      at: asDate(r.at),
    };
  },
};
