// The live connection's state as the page shows it: live, connecting, or the server cannot be
// reached and when the next try is (counting down).
import { useEffect, useState } from "preact/hooks";

import type { LiveState } from "./api";
import { useUi } from "./ui";

export function LiveBadge({ state }: { state: LiveState }) {
  const { t } = useUi();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (state.kind !== "retrying") return;
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [state]);
  if (state.kind === "live") return <span class="badge on" role="status">{t("live")}</span>;
  if (state.kind === "connecting") return <span class="badge" role="status">{t("connecting")}</span>;
  const seconds = Math.max(0, Math.ceil((state.at - now) / 1000));
  return <span class="badge retrying" role="status">{t("retryingIn").replace("{n}", String(seconds))}</span>;
}
