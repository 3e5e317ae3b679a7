// The shipped browser code against the browsers Vietnamese phones still run (the browserslist in package.json):
// escompat reports syntax they reject (regular-expression lookbehind, class fields…), compat the missing APIs.
import compat from "eslint-plugin-compat";
import escompat from "eslint-plugin-escompat";
import globals from "globals";

export default [
  {
    files: ["bantin/theme/assets/bantin/**/*.js"],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: globals.browser },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  { ...escompat.configs["flat/recommended"], files: ["bantin/theme/assets/bantin/**/*.js"] },
  { ...compat.configs["flat/recommended"], files: ["bantin/theme/assets/bantin/**/*.js"] },
];
