import { StrictMode, useEffect, useState, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { useQuery } from "./api.ts";
import {
  completeLogin,
  currentToken,
  loadSettings,
  logout,
  startLogin,
  TOKEN_GONE,
  type ConsoleSettings,
} from "./auth.ts";
import { graphql } from "./gql/index.ts";
import type { Dictionary, Lang, MessageKey } from "./i18n.ts";
import { dictionaries } from "./i18n.ts";
import { LangContext, SelectField, Status, useT } from "./ui.tsx";
import { MyCasesPage } from "./pages/analyst.tsx";
import { DpiaPage, ReportPage } from "./pages/fg.tsx";
import { AccessPage, InformingPage, RightsPage } from "./pages/legal.tsx";
import { AssignmentsPage } from "./pages/manager.tsx";
import { EvaluationDueNotice, PolicyPage } from "./pages/policy.tsx";
import { AuditPage, CheckQueue, FlaggedPage, MatrixPage, OfficerQueuePage } from "./pages/officer.tsx";
import "./styles.css";

const MeDocument = graphql(`
  query Me {
    me {
      subject
      roles
    }
  }
`);

interface Tab {
  readonly id: string;
  readonly title: MessageKey;
  readonly page: () => ReactNode;
}

/** The console's sections per role (issue 14); a role without an entry sees none. */
const TABS: Readonly<Record<string, readonly Tab[]>> = {
  privacy_officer: [
    { id: "queue", title: "tabQueue", page: () => <OfficerQueuePage /> },
    { id: "flagged", title: "tabFlagged", page: () => <FlaggedPage /> },
    { id: "matrix", title: "tabMatrix", page: () => <MatrixPage /> },
    { id: "audit", title: "tabAudit", page: () => <AuditPage /> },
    { id: "versions", title: "tabVersions", page: () => <PolicyPage /> },
  ],
  coordinator: [
    {
      id: "escalated",
      title: "tabEscalated",
      page: () => <CheckQueue status="ESCALATED" verdict="decide" />,
    },
  ],
  dpo: [
    {
      id: "opinions",
      title: "tabOpinions",
      page: () => (
        <>
          <EvaluationDueNotice />
          <CheckQueue status="*" verdict="opinion" />
        </>
      ),
    },
    { id: "report", title: "tabReport", page: () => <ReportPage /> },
    { id: "dpia", title: "tabDpia", page: () => <DpiaPage /> },
    { id: "dpo-audit", title: "tabAudit", page: () => <AuditPage /> },
    { id: "dpo-versions", title: "tabVersions", page: () => <PolicyPage /> },
  ],
  legal: [
    { id: "access", title: "tabAccess", page: () => <AccessPage /> },
    { id: "informing", title: "tabInforming", page: () => <InformingPage /> },
    { id: "rights", title: "tabRights", page: () => <RightsPage /> },
  ],
  beheerder: [{ id: "assignments", title: "tabAssignments", page: () => <AssignmentsPage /> }],
  analyst: [{ id: "cases", title: "tabCases", page: () => <MyCasesPage /> }],
};

const BASE = "/console/";
const tabFromPath = () => window.location.pathname.slice(BASE.length).split("/")[0] ?? "";

function Shell({
  settings,
  lang,
  setLang,
}: {
  settings: ConsoleSettings;
  lang: Lang;
  setLang: (l: Lang) => void;
}) {
  const t = useT();
  const me = useQuery(MeDocument, {});
  const [tabId, setTabId] = useState(tabFromPath());
  useEffect(() => {
    const pop = () => setTabId(tabFromPath());
    window.addEventListener("popstate", pop);
    return () => window.removeEventListener("popstate", pop);
  }, []);
  const roles = me.data?.me.roles ?? [];
  const tabs = roles.flatMap((r) => TABS[r] ?? []);
  const tab = tabs.find((x) => x.id === tabId) ?? tabs[0];
  useEffect(() => {
    if (tab) document.title = `${t[tab.title]} · ${t.appTitle}`;
  }, [tab, t]);
  return (
    <>
      <a className="skip" href="#main">
        {t.skipToContent}
      </a>
      <header>
        <p className="brand">{t.appTitle}</p>
        <div className="who">
          {me.data && (
            <span>
              {t.loggedInAs} <strong>{me.data.me.subject}</strong> · {t.roles}: {roles.join(", ")}
            </span>
          )}
          <SelectField<Lang>
            label={t.language}
            value={lang}
            onChange={setLang}
            options={[
              { value: "nl", label: "Nederlands" },
              { value: "en", label: "English" },
            ]}
          />
          <button
            type="button"
            onClick={() => {
              void logout(settings).then(() => window.location.assign(BASE));
            }}
          >
            {t.logout}
          </button>
        </div>
      </header>
      {tabs.length > 0 && (
        <nav aria-label={t.navigation}>
          <ul>
            {tabs.map((x) => (
              <li key={x.id}>
                <a
                  href={`${BASE}${x.id}`}
                  aria-current={x === tab ? "page" : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    window.history.pushState(null, "", `${BASE}${x.id}`);
                    setTabId(x.id);
                  }}
                >
                  {t[x.title]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        <Status loading={me.loading} error={me.error} />
        {me.data && !tab && <p>{t.noPages}</p>}
        {tab && (
          <>
            <h1>{t[tab.title]}</h1>
            <div key={tab.id}>{tab.page()}</div>
          </>
        )}
      </main>
    </>
  );
}

function Login({ settings, error }: { settings: ConsoleSettings | undefined; error: string | undefined }) {
  const t = useT();
  return (
    <>
      <header>
        <p className="brand">{t.appTitle}</p>
      </header>
      <main id="main">
        <h1>{t.login}</h1>
        <p>{t.loginIntro}</p>
        {error && (
          <p role="alert" className="error">
            {t.loginFailed}: {error}
          </p>
        )}
        <button type="button" disabled={!settings} onClick={() => settings && void startLogin(settings)}>
          {t.login}
        </button>
      </main>
    </>
  );
}

const initialLang = (): Lang => (sessionStorage.getItem("poortwachter.lang") === "en" ? "en" : "nl");

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [settings, setSettings] = useState<ConsoleSettings>();
  const [token, setToken] = useState(currentToken());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(window.location.pathname === `${BASE}callback`);
  const setLang = (l: Lang) => {
    sessionStorage.setItem("poortwachter.lang", l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    const gone = () => setToken(undefined);
    window.addEventListener(TOKEN_GONE, gone);
    return () => window.removeEventListener(TOKEN_GONE, gone);
  }, []);
  useEffect(() => {
    loadSettings().then(
      (s) => {
        setSettings(s);
        if (window.location.pathname !== `${BASE}callback`) return;
        const params = new URLSearchParams(window.location.search);
        window.history.replaceState(null, "", BASE);
        completeLogin(s, params).then(
          (tok) => {
            setToken(tok);
            setBusy(false);
          },
          (e: unknown) => {
            setError(e instanceof Error ? e.message : String(e));
            setBusy(false);
          },
        );
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  const t: Dictionary = dictionaries[lang];
  return (
    <LangContext.Provider value={lang}>
      {busy || (token && !settings && !error) ? (
        <main id="main">
          <p aria-live="polite">{t.loggingIn}</p>
        </main>
      ) : token && settings ? (
        <Shell settings={settings} lang={lang} setLang={setLang} />
      ) : (
        <Login settings={settings} error={error} />
      )}
    </LangContext.Provider>
  );
}

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
