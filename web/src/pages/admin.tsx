// The operator's page (accounts with the admin flag): the platform's figures, and devices by type
// as a bar chart.
import { useEffect, useState } from "preact/hooks";

import { api } from "../api";
import { useUi } from "../ui";

interface Stats {
  devices: number;
  devices_online: number;
  devices_bound: number;
  devices_by_type: Record<string, number>;
  users: number;
  homes: number;
  users_with_5_devices: number;
  daily_active_users: number;
  monthly_active_users: number;
}

export function AdminPage() {
  const { t } = useUi();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    const load = () => api<Stats>("GET", "/api/v1/admin/stats").then(setStats, (e) => setError(String(e)));
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, []);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!stats) return <p aria-busy="true">…</p>;
  const figures: [string, number, number?][] = [
    [t("devices"), stats.devices],
    [t("online"), stats.devices_online, stats.devices],
    [t("bound"), stats.devices_bound, stats.devices],
    [t("users"), stats.users],
    [t("usersWith5"), stats.users_with_5_devices, stats.users],
    [t("homes"), stats.homes],
    [t("dau"), stats.daily_active_users, stats.users],
    [t("mau"), stats.monthly_active_users, stats.users],
  ];
  const types = Object.entries(stats.devices_by_type).sort((a, b) => b[1] - a[1]);
  const top = Math.max(1, ...types.map(([, n]) => n));
  return (
    <section>
      <h1>{t("operator")}</h1>
      <ul class="cards figures">
        {figures.map(([label, n, of]) => (
          <li class="card">
            <span class="muted">{label}</span>
            <strong class="reading">{n.toLocaleString()}</strong>
            {of !== undefined && <meter min={0} max={Math.max(of, 1)} value={n} aria-label={label} />}
          </li>
        ))}
      </ul>
      <fieldset class="card">
        <legend>{t("byType")}</legend>
        <ul class="bars" role="list">
          {types.map(([type, n]) => (
            <li>
              <span>{type}</span>
              <span class="bar" style={{ width: `${(100 * n) / top}%` }} />
              <span>{n}</span>
            </li>
          ))}
        </ul>
      </fieldset>
    </section>
  );
}
