// What every page reads from the shell: the language, its strings, the spec locale and
// navigation. Its own module, so that app.tsx imports the pages and the pages import this, with
// no import circle between them.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

import type { Key, Lang } from "./i18n";

export interface Ui {
  lang: Lang;
  t: (key: Key) => string;
  locale: string;  // the spec's locale for names from product specs
  go: (path: string) => void;
}

export const UiContext = createContext<Ui>(null as unknown as Ui);
export const useUi = () => useContext(UiContext);
