import type { Attributes } from "@opentelemetry/api";
import type { CaseAbility } from "../policy/index.ts";
import type { Decision } from "../shared/index.ts";
import { activeTelemetry, type Telemetry } from "./telemetry.ts";

/**
 * Spans of the policy decisions about one subject: a span for each mode, probe and field decided,
 * once per ability (an ability is per case view and subject, and the guard asks a field's
 * decision at every leaf). Attributes are the policy's own names only: the source, the probe id
 * or catalogue path, the mode, allowed, and the id of the rule that decided (`none`: deny by
 * default). Never the subject, a registry value or the reason's text, which may name the staff
 * member (the subject rate's does); `explain` gives the text for a rule id.
 */
export function decisionSpans(sourceOfProbe: (probeId: string) => string | undefined) {
  const traced = new WeakMap<CaseAbility, CaseAbility>();
  return (ability: CaseAbility): CaseAbility => {
    const telemetry = activeTelemetry();
    if (!telemetry) return ability;
    const known = traced.get(ability);
    if (known) return known;
    const wrapped = tracedAbility(telemetry, ability, sourceOfProbe);
    traced.set(ability, wrapped);
    return wrapped;
  };
}

function tracedAbility(
  telemetry: Telemetry,
  ability: CaseAbility,
  sourceOfProbe: (probeId: string) => string | undefined,
): CaseAbility {
  const seen = new Set<string>();
  const note = (action: string, source: string | undefined, about: Attributes, decision: Decision) => {
    const key = `${action}|${source ?? ""}|${JSON.stringify(about)}`;
    if (seen.has(key)) return;
    seen.add(key);
    telemetry
      .startSpan("policy.decision", {
        attributes: {
          "poortwachter.policy.action": action,
          ...(source ? { "poortwachter.policy.source": source } : {}),
          ...about,
          "poortwachter.policy.allowed": decision.allowed,
          "poortwachter.policy.rule": decision.ruleId ?? "none",
        },
      })
      .end();
  };
  return {
    can: (action) => ability.can(action),
    mode(source) {
      const m = ability.mode(source);
      note("mode", source, { "poortwachter.policy.mode": m.mode }, m.decision);
      return m;
    },
    probe(probeId) {
      const d = ability.probe(probeId);
      note("probe", sourceOfProbe(probeId), { "poortwachter.policy.probe": probeId }, d);
      return d;
    },
    field(source, path) {
      const d = ability.field(source, path);
      note("field", source, { "poortwachter.policy.field": path }, d);
      return d;
    },
    permittedFields: (source) => ability.permittedFields(source),
  };
}
