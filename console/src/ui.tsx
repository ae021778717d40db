import { createContext, useContext, useId, type ReactNode } from "react";
import { dictionaries, type Dictionary, type Lang } from "./i18n.ts";

export const LangContext = createContext<Lang>("nl");

/** The current language's dictionary: every string of the console goes through it. */
export function useT(): Dictionary {
  return dictionaries[useContext(LangContext)];
}

export function Status({ loading, error }: { loading: boolean; error: string | undefined }) {
  const t = useT();
  if (error)
    return (
      <p role="alert" className="error">
        {t.error}: {error}
      </p>
    );
  if (loading) return <p aria-live="polite">{t.loading}</p>;
  return null;
}

/** Outcome of a mutation: a polite success or an alert with the gateway's message. */
export function Outcome({ error, ok }: { error: string | undefined; ok: boolean }) {
  const t = useT();
  if (error)
    return (
      <p role="alert" className="error">
        {t.error}: {error}
      </p>
    );
  return ok ? (
    <p role="status" className="ok">
      {t.done}
    </p>
  ) : null;
}

export function Table({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly ReactNode[])[];
}) {
  const t = useT();
  if (rows.length === 0)
    return (
      <section aria-label={caption}>
        <h3>{caption}</h3>
        <p>{t.nothing}</p>
      </section>
    );
  return (
    // Focusable so a keyboard can scroll a wide table (WCAG 2.1.1).
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  multiline?: boolean;
  type?: string;
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea
          id={id}
          value={props.value}
          required={props.required}
          onChange={(e) => props.onChange(e.target.value)}
        />
      ) : (
        <input
          id={id}
          type={props.type ?? "text"}
          value={props.value}
          required={props.required}
          placeholder={props.placeholder}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </div>
  );
}

export function SelectField<V extends string>(props: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (v: V) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Checkboxes limited to `options` (the requested fields/probes: nothing beyond them can be picked). */
export function Picker(props: {
  legend: string;
  options: readonly string[];
  selected: readonly string[];
  onChange: (v: string[]) => void;
  disabled?: boolean;
}) {
  if (props.options.length === 0) return null;
  return (
    <fieldset disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o} className="check">
          <input
            type="checkbox"
            checked={props.selected.includes(o)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.selected, o] : props.selected.filter((s) => s !== o),
              )
            }
          />{" "}
          {o}
        </label>
      ))}
    </fieldset>
  );
}

export const list = (xs: readonly string[]) => (xs.length === 0 ? "—" : xs.join(", "));
