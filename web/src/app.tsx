// The app shell: who is signed in, the language, the route (path-based, so links can be shared
// and the browser's back button works), the top bar.
import { useEffect, useState } from "preact/hooks";

import { api, signedIn, signOut } from "./api";
import { Assistant } from "./assistant";
import { initialLang, type Lang, saveLang, specLocale, translate } from "./i18n";
import { AdminPage } from "./pages/admin";
import { DevicePage } from "./pages/device";
import { HomePage } from "./pages/home";
import { SettingsPage } from "./pages/settings";
import { SignInPage } from "./pages/sign_in";
import { type Ui, UiContext } from "./ui";

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang());
  const [path, setPath] = useState(location.pathname);
  const [session, setSession] = useState(signedIn());
  const [admin, setAdmin] = useState(false);
  useEffect(() => {
    if (session) api<{ admin: boolean }>("GET", "/api/v1/users/me").then((me) => setAdmin(me.admin), () => {});
  }, [session]);
  useEffect(() => {
    saveLang(lang);
    const onPop = () => setPath(location.pathname);
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, [lang]);
  const go = (to: string) => {
    history.pushState(null, "", to);
    setPath(to);
  };
  const ui: Ui = { lang, t: (k) => translate(lang, k), locale: specLocale(lang), go };
  const device = path.match(/^\/devices\/([0-9a-f]+)$/);
  const home = path.match(/^\/homes\/(\d+)$/);
  const settings = path.match(/^\/homes\/(\d+)\/settings$/);
  let page;
  if (!signedIn()) page = <SignInPage onDone={() => { setSession(true); go("/"); }} />;
  else if (device) page = <DevicePage did={device[1]} />;
  else if (settings) page = <SettingsPage homeId={Number(settings[1])} />;
  else if (path === "/admin") page = <AdminPage />;
  else page = <HomePage homeId={home ? Number(home[1]) : null} />;
  return (
    <UiContext.Provider value={ui}>
      <header class="bar">
        <a class="brand" href="/" onClick={(e) => { e.preventDefault(); go("/"); }}>{ui.t("appName")}</a>
        <span class="spacer" />
        {signedIn() && admin && (
          <a class="link" href="/admin" onClick={(e) => { e.preventDefault(); go("/admin"); }}>{ui.t("operator")}</a>
        )}
        <button class="link" onClick={() => setLang(lang === "en" ? "zh" : "en")}>{ui.t("language")}</button>
        {signedIn() && (
          <button class="link" onClick={async () => { await signOut(); setSession(false); setAdmin(false); go("/"); }}>
            {ui.t("signOut")}
          </button>
        )}
      </header>
      <main>{page}</main>
      {signedIn() && <Assistant />}
    </UiContext.Provider>
  );
}
