import { render } from "preact";

import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app")!);

// The offline shell: the service worker keeps the app's files so that it opens without the
// server and says so.
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
if (!navigator.onLine) document.body.classList.add("unreachable");
addEventListener("offline", () => document.body.classList.add("unreachable"));
addEventListener("online", () => document.body.classList.remove("unreachable"));
