import { createHash } from "node:crypto";
import { ACTIVITIES_FILE, canonicalJson, type ProcessingActivityDef } from "../policy/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { Queryable } from "../store/index.ts";

/**
 * The register's rule that a changed activity gets a new id (Logboek Dataverwerkingen, Component:
 * Register: "Het Register MOET iedere relevante wijziging van een Verwerkingsactiviteit opslaan met
 * een nieuwe identifier"), enforced (issue 13): the first time the gateway starts with an activity,
 * its content hash is kept in `processing_activity_versions` (append-only); a later start whose
 * register has the same id with other content is refused, because the audit records already
 * written under that id would then point at a purpose, legal basis or retention they were not
 * processed under. Delft art. 6b-c; Maastricht art. 9-10.
 */
/** sha256 of the entry's canonical JSON: every field counts as content. */
export const activityContentHash = (a: ProcessingActivityDef): string =>
  createHash("sha256").update(canonicalJson(a)).digest("hex");

/**
 * Records the content of every activity not seen before and checks the others against what was
 * recorded. Ok with the number of newly recorded ids, or one message per changed activity.
 */
export async function pinActivityVersions(
  db: Queryable,
  activities: readonly ProcessingActivityDef[],
  policyHash: string,
  at: Date,
): Promise<Result<number, string[]>> {
  if (activities.length === 0) return ok(0);
  const hashes = activities.map(activityContentHash);
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO processing_activity_versions (id, content_hash, policy_hash, first_seen_at)
     SELECT id, hash, $3, $4::timestamptz FROM unnest($1::text[], $2::text[]) AS t(id, hash)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [activities.map((a) => a.id), hashes, policyHash, at.toISOString()],
  );
  const stored = await db.query<{
    id: string;
    content_hash: string;
    policy_hash: string;
    first_seen_at: Date;
  }>(
    "SELECT id, content_hash, policy_hash, first_seen_at FROM processing_activity_versions WHERE id = ANY($1::text[])",
    [activities.map((a) => a.id)],
  );
  const byId = new Map(stored.map((row) => [row.id, row]));
  const problems: string[] = [];
  activities.forEach((a, i) => {
    const row = byId.get(a.id);
    if (row && row.content_hash !== hashes[i])
      problems.push(
        `${ACTIVITIES_FILE}: activity ${a.id} changed since it was first used on ` +
          `${new Date(row.first_seen_at).toISOString().slice(0, 10)} (policy ${row.policy_hash.slice(0, 12)}): ` +
          `a changed activity needs a new id (e.g. ${nextVersion(a.id)}) so the records written under ${a.id} keep their meaning`,
      );
  });
  return problems.length > 0 ? err(problems) : ok(inserted.length);
}

/** `maastricht.intake.v1` -> `maastricht.intake.v2`. */
export function nextVersion(id: string): string {
  const m = /^(.*\.v)(\d+)$/.exec(id);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${id}.v2`;
}
