import type { VisibleCase } from "../cases/index.ts";
import { err, ok, type HitResult, type Result } from "../shared/index.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { todayOf } from "./object-resolution.ts";
import { probeRunnerOf } from "./probe-runners.ts";
import { denied, subjectAudit } from "./release.ts";
import { subjectKey, type Subject } from "./subject.ts";

export interface HitAnswer {
  readonly source: string;
  readonly probe: string;
  readonly result: HitResult;
}

const SUBJECT_NAMES = { persoon: "a person", onderneming: "a company", object: "an object" } as const;

/**
 * Hit/no-hit (Maastricht art. 1k, 16-17) about one subject over every source that can answer for
 * it: per permitted probe HIT, NO_HIT or UNKNOWN, nothing else. An upstream failure is UNKNOWN,
 * never NO_HIT, and a failing source leaves the other sources' answers intact. One audit record
 * per source, committed before any answer leaves.
 */
export async function subjectHits(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  requested: readonly string[] | undefined,
): Promise<Result<HitAnswer[], DisclosureError>> {
  const ability = c.forSubject(subjectKey(subject));
  const applicable = ctx.policy.probes
    .filter((p) => probeRunnerOf(ctx.policy, p.id)?.subjects.includes(subject.kind))
    .map((p) => p.id);
  // Named by position, never repeated: the caller's text does not come back (issue 10).
  const unknownAt = (requested ?? []).findIndex((p) => !applicable.includes(p));
  if (unknownAt >= 0)
    return err({
      kind: "bad_input",
      message: `probes[${unknownAt}]: not a probe that can be asked about ${SUBJECT_NAMES[subject.kind]}; probes for ${SUBJECT_NAMES[subject.kind]}: ${applicable.join(", ") || "none"}.`,
    });
  const allowed = applicable.filter((p) => ability.probe(p).allowed);
  const wanted = [...new Set(requested ?? allowed)];
  const refused = wanted.filter((p) => !allowed.includes(p));
  if (refused.length > 0 || wanted.length === 0) {
    // The refused probe's own reason, or (nothing permitted at all) the first source's mode reason.
    const first = refused[0] ?? applicable[0] ?? "";
    const source = probeRunnerOf(ctx.policy, first)?.source ?? "";
    return denied(ctx, c, subject, source, `${source}.hits`, ability.probe(first), {
      mode: ability.mode(source).mode,
      probes: wanted.length > 0 ? wanted : applicable,
    });
  }

  const env = { loaders: ctx.sources, municipalityCode: ctx.municipalityCode, today: todayOf(ctx.clock) };
  const answers = await Promise.all(
    wanted.map(async (probe) => {
      const runner = probeRunnerOf(ctx.policy, probe);
      const outcome = runner
        ? await runner.run(env, subject).catch(() => ({ result: "UNKNOWN" as const, reason: "probe_failed" }))
        : { result: "UNKNOWN" as const, reason: "no_probe_runner" };
      return { source: runner?.source ?? "", probe, ...outcome };
    }),
  );
  const sources = [...new Set(answers.map((a) => a.source))];
  const logged = await Promise.all(
    sources.map((source) => {
      const mine = answers.filter((a) => a.source === source);
      const { mode, decision } = ability.mode(source);
      const audit = subjectAudit(ctx, c, subject, source, `${source}.hits`);
      return ctx.record({
        ...audit,
        kind: "disclosure",
        probes: mine.map((a) => a.probe),
        mode,
        decision: "allow",
        reason: decision.reason,
        detail: {
          ...audit.detail,
          results: Object.fromEntries(mine.map((a) => [a.probe, a.result])),
          ...(mine.some((a) => a.result === "UNKNOWN")
            ? {
                unknown: Object.fromEntries(
                  mine.filter((a) => a.result === "UNKNOWN").map((a) => [a.probe, a.reason]),
                ),
              }
            : {}),
        },
      });
    }),
  );
  if (logged.some((l) => !l.ok)) return err({ kind: "audit_failed" });
  return ok(answers.map(({ source, probe, result }) => ({ source, probe, result })));
}
