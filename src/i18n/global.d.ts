import type { Locale } from "./config";
import type messages from "../../messages/en.json";

// Typed message keys and locales for next-intl's hooks (en.json is the reference catalogue).
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof messages;
  }
}
