import type { VisibleCase } from "../cases/index.ts";
import { registerSubject } from "../policy/index.ts";
import { err, type Result, type SourceError } from "../shared/index.ts";
import { notConfigured } from "../sources/source-loaders.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { subjectFields } from "./fields.ts";
import { registerKeyOf } from "./register-probes.ts";
import type { Subject, SubjectKind } from "./subject.ts";

const KIND_NAMES = { persoon: "a person", onderneming: "a company", object: "an object" } as const;

/** The registers of the policy that can be asked about this kind of subject. */
export const registersFor = (ctx: Pick<DisclosureContext, "policy">, kind: SubjectKind): string[] =>
  ctx.policy.registers.filter((r) => registerSubject(r) === kind).map((r) => r.source);

/**
 * Fields of a subject's records in one of the municipality's own registers (issue 16): decided
 * like every source's fields (src/disclosure/fields.ts: mode, rule maximum, approvals, audit, then
 * each value again by the guard), and only the permitted columns are read. The key is worked out
 * (the BAG asked for an object named the other way) only after the policy allowed something.
 */
export async function subjectRegister(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  name: string,
  requestedFields: readonly string[],
): Promise<Result<unknown, DisclosureError>> {
  const def = ctx.policy.registers.find((r) => r.source === name && registerSubject(r) === subject.kind);
  if (!def)
    return err({
      kind: "bad_input",
      message: `register: not a register that can be asked about ${KIND_NAMES[subject.kind]}; registers for ${KIND_NAMES[subject.kind]}: ${registersFor(ctx, subject.kind).join(", ") || "none"}.`,
    });
  if (requestedFields.length === 0)
    return err({ kind: "bad_input", message: "register: ask for at least one value(field: …)." });
  return subjectFields(
    ctx,
    c,
    subject,
    def.source,
    requestedFields,
    async (units) => {
      const registers = ctx.sources.registers;
      if (!registers) return notConfigured();
      const key = await registerKeyOf(ctx.sources, def, subject);
      if (!key.ok) return err<SourceError>({ kind: "unavailable", reason: key.error });
      return registers.records(def, key.value, units);
    },
    "many",
  );
}
