// The shipped browser modules, imported as ES modules whatever Node's default module type: each is one
// self-contained file, so it is imported from its own text (a data: URL), exactly the bytes the site serves.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ASSETS = fileURLToPath(new URL("../../bantin/theme/assets/bantin/", import.meta.url));

export function load(name) {
  const source = readFileSync(ASSETS + name, "utf-8");
  return import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
}
