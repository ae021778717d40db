import type { App } from "../../src/app/index.ts";
import { caseSubjectRepository } from "../../src/cases/index.ts";
import { DEMO_SUBJECTS } from "../../src/demo/index.ts";

/**
 * Test setup: makes these subjects the case's (issue 11: a case answers only about its subjects),
 * written straight to the store as addCaseSubject would, for tests about something else that ask
 * about many persons on a demo case. Tests of the binding itself go through the GraphQL API.
 */
export async function addSubjects(app: App, caseId: string, keys: readonly string[]): Promise<void> {
  await caseSubjectRepository.insert(app.db, caseId, keys, {
    origin: "added",
    checkId: null,
    motivation: "Test setup: a subject of this test's case.",
    addedBy: "test.setup",
    addedAt: new Date(),
  });
}

/** The subject keys of these BSNs. */
export const personKeys = (bsns: readonly string[]): string[] => bsns.map((b) => `persoon:${b}`);

/**
 * `subjects: [...]` for an openCase input in a GraphQL document: the demo cases' subjects (the
 * resident and their address, the RvIG test persons, the demo companies).
 */
export const DEMO_SUBJECTS_ARG = `subjects: ${JSON.stringify(DEMO_SUBJECTS)}`;
