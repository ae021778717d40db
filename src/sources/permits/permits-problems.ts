/**
 * The error bodies of the APIs for Zaakgericht werken (schemas `Fout` and `ValidatieFout`), as
 * the reference implementations (vng-api-common) render them: `type` is a URI below `/ref/fouten/`
 * of the API, `code` a short machine code, titles in Dutch as the APIs answer them.
 */
export interface ZgwInvalidParam {
  readonly name: string;
  readonly code: string;
  readonly reason: string;
}

export interface ZgwFout {
  readonly type: string;
  readonly code: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly invalidParams?: readonly ZgwInvalidParam[];
}

const FOUTEN = {
  400: ["ValidationError", "invalid", "Invalid input.", "De parameters zijn ongeldig."],
  401: [
    "NotAuthenticated",
    "not_authenticated",
    "Authenticatiegegevens zijn niet opgegeven.",
    "Authenticatiegegevens zijn niet opgegeven.",
  ],
  403: [
    "PermissionDenied",
    "permission_denied",
    "Je hebt geen toestemming om deze actie uit te voeren.",
    "Het token is ongeldig of de client is onbekend.",
  ],
  404: ["NotFound", "not_found", "Niet gevonden.", "Niet gevonden."],
  406: [
    "NotAcceptable",
    "not_acceptable",
    "Kan niet voldoen aan de opgegeven Accept header.",
    "CRS niet ondersteund.",
  ],
  412: ["PreconditionFailed", "precondition_failed", "Precondition failed", "'Accept-Crs' header ontbreekt"],
  415: [
    "UnsupportedMediaType",
    "unsupported_media_type",
    "Ongeldige media type.",
    "Alleen application/json.",
  ],
  500: ["APIException", "error", "Er is een serverfout opgetreden.", "Er is een serverfout opgetreden."],
  503: [
    "ServiceUnavailable",
    "service_unavailable",
    "Service tijdelijk niet beschikbaar, probeer het later opnieuw.",
    "Service tijdelijk niet beschikbaar.",
  ],
} as const;

export type ZgwFoutStatus = keyof typeof FOUTEN;

/**
 * A `Fout` (or, with invalid parameters, a `ValidatieFout`) of the API at `apiBase`. `instance`
 * is a `urn:uuid:` as the reference implementations send; it is derived from a counter so the
 * simulator stays deterministic.
 */
export function zgwFout(
  apiBase: string,
  status: ZgwFoutStatus,
  instance: string,
  extra: { readonly detail?: string; readonly invalidParams?: readonly ZgwInvalidParam[] } = {},
): ZgwFout {
  const [name, code, title, detail] = FOUTEN[status];
  return {
    type: `${apiBase}/ref/fouten/${name}/`,
    code,
    title,
    status,
    detail: extra.detail ?? detail,
    instance,
    ...(status === 400 ? { invalidParams: extra.invalidParams ?? [] } : {}),
  };
}

export const invalidParam = (name: string, code: string, reason: string): ZgwInvalidParam => ({
  name,
  code,
  reason,
});
