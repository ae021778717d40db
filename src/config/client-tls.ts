import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";

/** A client certificate and key (PEM), and the CA to trust for the upstream, if not the system's. */
export interface ClientTlsConfig {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string | undefined;
}

/** The three variables of one upstream's mTLS, each the path of a PEM file. */
export interface ClientTlsFiles {
  readonly certVar: string;
  readonly keyVar: string;
  readonly caVar: string;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly ca: string | undefined;
}

/**
 * Reads an upstream's client certificate, key and CA from the files the variables name, at
 * start-up: a missing or unreadable file, only one of certificate and key, or a pair Node cannot
 * use is a problem naming the variable (and path, never the content), so the gateway does not
 * start and then fail every call. Nothing set: no mTLS (undefined).
 */
export function readClientTls(
  files: ClientTlsFiles,
  problems: string[],
  read: (path: string) => string = (path) => readFileSync(path, "utf8"),
): ClientTlsConfig | undefined {
  if (files.cert === undefined && files.key === undefined) {
    if (files.ca !== undefined)
      problems.push(`${files.caVar}: only with ${files.certVar} and ${files.keyVar}`);
    return undefined;
  }
  if (files.cert === undefined || files.key === undefined) {
    problems.push(`${files.certVar} and ${files.keyVar}: set both or neither`);
    return undefined;
  }
  const before = problems.length;
  const load = (name: string, path: string): string => {
    try {
      return read(path);
    } catch (e) {
      problems.push(`${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`);
      return "";
    }
  };
  const tls = {
    cert: load(files.certVar, files.cert),
    key: load(files.keyVar, files.key),
    ...(files.ca === undefined ? {} : { ca: load(files.caVar, files.ca) }),
  };
  if (problems.length > before) return undefined;
  try {
    createSecureContext(tls);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    problems.push(
      `${files.certVar}, ${files.keyVar}${files.ca === undefined ? "" : `, ${files.caVar}`}: not a usable PEM certificate, key and CA (${typeof code === "string" ? code : "invalid"})`,
    );
    return undefined;
  }
  return Object.freeze(tls);
}
