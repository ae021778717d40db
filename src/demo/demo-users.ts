import { DEMO_ISSUER } from "../config/index.ts";
import type { Actor, Role } from "../shared/index.ts";

export interface DemoUser {
  readonly sub: string;
  readonly role: Role;
  readonly department?: string;
  readonly description: string;
}

/** The demo municipality's staff (design.md "Users"). */
export const DEMO_USERS = [
  { sub: "analist.jansen", role: "analyst", description: "analyst, owner of the demo cases" },
  { sub: "analist.devries", role: "analyst", description: "analyst, substitute on the demo cases" },
  { sub: "analist.bakker", role: "analyst", description: "analyst, not assigned to the demo cases" },
  { sub: "privacy.officer", role: "privacy_officer", description: "privacy officer: advises on checks" },
  { sub: "coordinator", role: "coordinator", description: "coordinator: decides disagreements" },
  { sub: "fg", role: "dpo", description: "FG / DPO: reports and audit log" },
  {
    sub: "medewerker.vergunningen",
    role: "department_member",
    department: "vergunningen",
    description: "department member (vergunningen)",
  },
  { sub: "jurist", role: "legal", description: "Juridische Zaken: data-subject requests" },
  { sub: "beheerder", role: "beheerder", description: "beheerder: designates the staff of cases" },
] as const satisfies readonly DemoUser[];

export function demoActor(sub: string, role: Role, department?: string): Actor {
  return { subject: sub, roles: [role], department, amr: ["pwd", "otp"], issuer: DEMO_ISSUER };
}
