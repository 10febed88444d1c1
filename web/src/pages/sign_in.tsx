import { useState } from "preact/hooks";

import { signIn, signUp } from "../api";
import { useUi } from "../ui";

export function SignInPage({ onDone }: { onDone: () => void }) {
  const { t } = useUi();
  const [creating, setCreating] = useState(false);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await (creating ? signUp : signIn)(email, password);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card narrow" onSubmit={submit}>
      <h1>{creating ? t("signUp") : t("signIn")}</h1>
      <label>
        {t("email")}
        <input type="email" name="email" autocomplete="username" required value={email}
               onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <label>
        {t("password")}
        <input type="password" name="password" autocomplete={creating ? "new-password" : "current-password"} required
               value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{creating ? t("signUp") : t("signIn")}</button>
      <button type="button" class="link" onClick={() => setCreating(!creating)}>
        {creating ? t("haveAccount") : t("noAccount")}
      </button>
    </form>
  );
}
