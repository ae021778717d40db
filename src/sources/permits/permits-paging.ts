/**
 * Page-number pagination as the ZGW reference implementations (Django REST framework) answer
 * it: `{count, next, previous, results}` with absolute links that repeat the request's query
 * with another `page`; a page past the end is a 404 ("Ongeldige pagina.").
 */
export interface Page<T> {
  readonly count: number;
  readonly next: string | null;
  readonly previous: string | null;
  readonly results: readonly T[];
}

const linkTo = (url: URL, page: number): string => {
  const u = new URL(url);
  if (page === 1) u.searchParams.delete("page");
  else u.searchParams.set("page", String(page));
  return u.toString();
};

/** The page `url` asks for, or undefined when that page does not exist. */
export function paginate<T>(items: readonly T[], url: URL, pageSize: number): Page<T> | undefined {
  const raw = url.searchParams.get("page") ?? "1";
  const page = /^[1-9][0-9]{0,6}$/.test(raw) ? Number(raw) : NaN;
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  if (!(page >= 1 && page <= pages)) return undefined;
  return {
    count: items.length,
    next: page < pages ? linkTo(url, page + 1) : null,
    previous: page > 1 ? linkTo(url, page - 1) : null,
    results: items.slice((page - 1) * pageSize, page * pageSize),
  };
}
