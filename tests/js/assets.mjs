// The shipped browser modules, imported as ES modules whatever Node's default module type: each is one
// self-contained file, so it is imported from its own text (a data: URL), exactly the bytes the site serves.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ASSETS = fileURLToPath(new URL("../../bantin/theme/assets/bantin/", import.meta.url));

export function load(name) {
  const source = readFileSync(ASSETS + name, "utf-8");
  return import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
}

// The document-number pattern the build writes into the search form, from the project's Python (its one home).
export function pythonNumberPattern() {
  const venv = fileURLToPath(new URL("../../.venv/bin/python", import.meta.url));
  const python = existsSync(venv) ? venv : "python3";
  const code = "from bantin.citations import number_source; print(number_source('javascript'), end='')";
  return execFileSync(python, ["-c", code], { cwd: fileURLToPath(new URL("../..", import.meta.url)) }).toString();
}
