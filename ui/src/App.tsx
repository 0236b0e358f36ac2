import { useCallback, useEffect, useMemo, useState } from "react";
import { I18nContext, langFor, localeOf, translator, type Lang } from "./i18n";
import { setProblemLang } from "./i18n/problems";
import { api, LOCKED_DOM_EVENT, onOcrProgress, onReminderOpen, type Hit, type JournalInfo, type Protection } from "./ipc";
import type { ReminderTarget } from "./ipc/bindings/ReminderTarget";
import { CaseList } from "./components/Cases";
import { CaseView, type Focus } from "./components/CaseView";
import { ChannelsView } from "./components/Channels";
import { DueView } from "./components/Due";
import { LockScreen, PassphraseOffer } from "./components/Lock";
import { SearchDialog } from "./components/Search";
import { SettingsView, type LangSetting, type ThemeSetting } from "./components/Settings";
import { TrashView } from "./components/Trash";

type View = { name: "cases" } | { name: "case"; id: number; focus: Focus | null } | { name: "due" } | { name: "trash" } | { name: "channels" } | { name: "settings" };

// Language and theme live in the journal (the CLI and a backup know them);
// the window keeps a copy only to speak the right language on the lock
// screen, before the journal can be read.
function stored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  const v = localStorage.getItem(key);
  return allowed.includes(v as T) ? (v as T) : fallback;
}

export function App() {
  const [langSetting, setLangSetting] = useState<LangSetting>(() => stored("casebook.lang", ["auto", "en", "zh"], "auto"));
  const [theme, setTheme] = useState<ThemeSetting>(() => stored("casebook.theme", ["auto", "light", "dark"], "auto"));
  const [view, setView] = useState<View>({ name: "cases" });
  const [searching, setSearching] = useState(false);
  // undefined: not known yet; null: could not be read (the views show why).
  const [protection, setProtection] = useState<Protection | null | undefined>(undefined);
  const [offerClosed, setOfferClosed] = useState(false);
  const reloadProtection = useCallback(() => {
    api.protection().then(setProtection, () => setProtection(null));
  }, []);
  useEffect(reloadProtection, [reloadProtection]);
  const [info, setInfo] = useState<JournalInfo | null>(null);
  // Said once: text in screenshots cannot be read on this computer.
  const [ocrOff, setOcrOff] = useState(false);
  const [ocrTold, setOcrTold] = useState(false);
  useEffect(() => {
    if (ocrTold) return;
    const tell = () => {
      setOcrOff(true);
      setOcrTold(true);
    };
    api.ocrProgress().then((p) => p.unavailable > 0 && tell(), () => undefined);
    return onOcrProgress((e) => {
      if (e.unavailable_reason) tell();
    });
  }, [ocrTold]);
  useEffect(() => {
    if (protection && !protection.locked) api.journalInfo().then(setInfo, () => setInfo(null));
  }, [protection]);
  // The journal's settings, once it can be read (again after an unlock).
  useEffect(() => {
    if (protection && !protection.locked)
      api.settings().then(
        (s) => {
          setLangSetting(s.language === "zh" || s.language === "en" ? s.language : "auto");
          setTheme(s.theme === "light" || s.theme === "dark" ? s.theme : "auto");
        },
        () => undefined,
      );
  }, [protection]);
  const chooseLang = useCallback((l: LangSetting) => {
    setLangSetting(l);
    void api.setLanguage(l === "auto" ? null : l).catch(() => undefined);
  }, []);
  const chooseTheme = useCallback((th: ThemeSetting) => {
    setTheme(th);
    void api.setTheme(th === "auto" ? null : th).catch(() => undefined);
  }, []);
  // Locked by the idle timer (event from Rust) or found locked by a command.
  useEffect(() => {
    window.addEventListener(LOCKED_DOM_EVENT, reloadProtection);
    const un = api.onLocked(reloadProtection);
    return () => {
      window.removeEventListener(LOCKED_DOM_EVENT, reloadProtection);
      void un.then((f) => f());
    };
  }, [reloadProtection]);
  // The idle clock runs in Rust; using the window restarts it (at most
  // every 15 s), so typing a long reply never locks the app under you.
  useEffect(() => {
    let last = 0;
    const active = () => {
      const now = Date.now();
      if (now - last > 15_000) {
        last = now;
        void api.touch().catch(() => undefined);
      }
    };
    const events = ["keydown", "pointerdown", "wheel", "pointermove"] as const;
    events.forEach((e) => window.addEventListener(e, active, { passive: true }));
    return () => events.forEach((e) => window.removeEventListener(e, active));
  }, []);

  const lang: Lang = langSetting === "auto" ? langFor(navigator.language) : langSetting;
  setProblemLang(lang);
  const i18n = useMemo(() => ({ lang, locale: localeOf(lang), t: translator(lang) }), [lang]);
  const { t } = i18n;

  useEffect(() => {
    localStorage.setItem("casebook.lang", langSetting);
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("app.title");
  }, [langSetting, lang, t]);

  useEffect(() => {
    localStorage.setItem("casebook.theme", theme);
    if (theme === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setSearching(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const openCase = (id: number, focus: Focus | null = null) => setView({ name: "case", id, focus });
  // A clicked reminder opens its contact (or its case): told to an open
  // window, or waiting for a window made for it (from the tray).
  useEffect(() => {
    const open = (r: ReminderTarget) => {
      setSearching(false);
      setView({ name: "case", id: r.case_id, focus: r.contact_id === null ? null : { kind: "contact", id: r.contact_id } });
    };
    api.takeReminderOpen().then((r) => r && open(r), () => {});
    return onReminderOpen(open);
  }, []);
  const openHit = (h: Hit) => {
    setSearching(false);
    openCase(h.case_id, h.kind === "case" ? null : { kind: h.kind, id: h.id });
  };

  const nav: { view: View["name"]; label: string; go: () => void }[] = [
    { view: "cases", label: t("nav.cases"), go: () => setView({ name: "cases" }) },
    { view: "due", label: t("nav.due"), go: () => setView({ name: "due" }) },
    { view: "channels", label: t("nav.channels"), go: () => setView({ name: "channels" }) },
    { view: "trash", label: t("nav.trash"), go: () => setView({ name: "trash" }) },
    { view: "settings", label: t("nav.settings"), go: () => setView({ name: "settings" }) },
  ];
  const current = view.name === "case" ? "cases" : view.name;

  if (protection === undefined) return null;
  if (protection?.locked) {
    // Nothing of the journal stays on screen or in the page while locked.
    return (
      <I18nContext.Provider value={i18n}>
        <LockScreen onUnlocked={reloadProtection} />
      </I18nContext.Provider>
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
        <nav className="sidebar" aria-label={t("nav.main")}>
          <div className="brand">
            <strong>{t("app.title")}</strong>
            <span className="muted small">{t("app.tagline")}</span>
          </div>
          <button className="search-button" onClick={() => setSearching(true)} data-testid="open-search">
            {t("nav.search")} <kbd>Ctrl K</kbd>
          </button>
          <ul>
            {nav.map((n) => (
              <li key={n.view}>
                <button aria-current={current === n.view ? "page" : undefined} onClick={n.go} data-testid={`nav-${n.view}`}>
                  {n.label}
                </button>
              </li>
            ))}
          </ul>
          {protection?.protected && (
            <button
              className="lock-button"
              onClick={async () => {
                await api.lock();
                setSearching(false);
                reloadProtection();
              }}
              data-testid="lock-now"
            >
              {t("lock.now")}
            </button>
          )}
        </nav>
        <main className="content">
          {ocrOff && (
            <div className="warning panel" role="status" data-testid="ocr-unavailable">
              <p>{t("ocr.unavailable")}</p>
              <button
                className="small"
                onClick={() => {
                  setOcrOff(false);
                  api.retryOcr().catch(() => undefined);
                }}
              >
                {t("ocr.retry")}
              </button>{" "}
              <button className="small" onClick={() => setOcrOff(false)}>
                {t("common.close")}
              </button>
            </div>
          )}
          {info?.read_only && (
            <div className="warning panel" role="status" data-testid="read-only-banner">
              {t("app.read_only")}
            </div>
          )}
          {view.name === "cases" && <CaseList onOpen={(id) => openCase(id)} />}
          {view.name === "case" && <CaseView key={`${view.id}-${view.focus?.kind}-${view.focus?.id}`} id={view.id} focus={view.focus} onBack={() => setView({ name: "cases" })} />}
          {view.name === "due" && <DueView onOpen={(id, contactId) => openCase(id, contactId === null ? null : { kind: "contact", id: contactId })} />}
          {view.name === "trash" && <TrashView />}
          {view.name === "channels" && <ChannelsView />}
          {view.name === "settings" && <SettingsView lang={langSetting} theme={theme} onLang={chooseLang} onTheme={chooseTheme} protection={protection} onProtectionChanged={reloadProtection} />}
        </main>
        {searching && <SearchDialog onOpen={openHit} onClose={() => setSearching(false)} />}
        {protection?.offer && !offerClosed && (
          <PassphraseOffer
            onClose={() => {
              setOfferClosed(true);
              reloadProtection();
            }}
          />
        )}
      </div>
    </I18nContext.Provider>
  );
}
