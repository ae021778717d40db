/**
 * How many distinct subjects one actor may disclose about in one case within a sliding window
 * (issue 11, "no enumeration"): a case is about the few subjects of its signal, so an actor who
 * reaches hundreds of different people in one case within the hour is searching, not working the
 * case. Kept per process (each replica counts its own requests), in memory, never persisted: it
 * holds subject keys only for the window and forgets them after it.
 */
export interface SubjectRate {
  /** Whether `subject` may be reached now by this actor in this case; counts it if so. */
  admit(actorCase: string, subject: string, now: Date): boolean;
  readonly maxSubjects: number;
  readonly windowS: number;
}

/** Most actor-case windows kept; beyond it the least recently used is forgotten. */
const MAX_WINDOWS = 10_000;

export function createSubjectRate(maxSubjects: number, windowS: number): SubjectRate {
  // Per actor and case: subject key -> last time reached (ms). A Map keeps insertion order, so
  // re-inserting on use makes the first entries the least recently used.
  const windows = new Map<string, Map<string, number>>();
  return {
    maxSubjects,
    windowS,
    admit(actorCase, subject, now) {
      const t = now.getTime();
      const since = t - windowS * 1000;
      let seen = windows.get(actorCase);
      if (seen) windows.delete(actorCase);
      else seen = new Map();
      windows.set(actorCase, seen);
      for (const [key, at] of seen) {
        if (at > since) break;
        seen.delete(key);
      }
      if (windows.size > MAX_WINDOWS) {
        const oldest = windows.keys().next().value;
        if (oldest !== undefined) windows.delete(oldest);
      }
      if (!seen.has(subject) && seen.size >= maxSubjects) return false;
      seen.delete(subject);
      seen.set(subject, t);
      return true;
    },
  };
}
