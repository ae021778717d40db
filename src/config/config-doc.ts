import { envSchema } from "./config.ts";

/**
 * The README's configuration table, generated from the zod schema so the two cannot drift
 * (a test compares them; `npm run config:doc` prints it).
 */
export function configTable(): string {
  const rows = Object.entries(envSchema.shape).map(([name, schema]) => {
    const parsed = schema.safeParse(undefined);
    const value: unknown = parsed.success ? parsed.data : undefined;
    const def =
      value === undefined || (Array.isArray(value) && value.length === 0)
        ? "—"
        : `\`${Array.isArray(value) ? value.join(",") : String(value)}\``;
    return `| \`${name}\` | ${def} | ${schema.description ?? ""} |`;
  });
  return ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
