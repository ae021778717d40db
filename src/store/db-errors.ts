/**
 * One line for an operator when the configured database cannot be opened (issue 12): which
 * setting, which server, what went wrong; never the password, never a stack trace.
 */
export function databaseUrlProblem(error: unknown, url: string): string {
  let where = "the server";
  let user = "";
  let database = "";
  try {
    const u = new URL(url);
    where = `${u.hostname || "localhost"}:${u.port || "5432"}`;
    user = decodeURIComponent(u.username);
    database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  } catch {
    // loadConfig has validated it; keep the generic wording otherwise.
  }
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : undefined;
  const message = typeof e.message === "string" ? e.message : String(error);
  const reason = ((): string => {
    switch (code) {
      case "ECONNREFUSED":
        return `cannot connect to ${where}: connection refused (is PostgreSQL running there?)`;
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return `cannot connect to ${where}: host not found`;
      case "ETIMEDOUT":
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return `cannot connect to ${where}: ${code}`;
      case "28P01":
      case "28000":
        return `authentication failed at ${where}${user ? ` for user "${user}"` : ""} (check the user and password)`;
      case "3D000":
        return `database "${database}" does not exist at ${where}`;
      default:
        if (/timeout/i.test(message))
          return `cannot connect to ${where}: no answer within DB_CONNECT_TIMEOUT_MS`;
        return `cannot open the database at ${where}: ${message.split("\n")[0] ?? message}`;
    }
  })();
  return `DATABASE_URL: ${reason}`;
}
