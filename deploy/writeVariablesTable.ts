import { readFileSync, writeFileSync } from "node:fs";
import prettier from "prettier";
import { withVariablesTable } from "../src/config/variablesTable.js";

/** `npm run docs:variables`: writes the README's variable table from src/config/variables.ts. */
const path = new URL("../README.md", import.meta.url);
const formatted = await prettier.format(withVariablesTable(readFileSync(path, "utf8")), {
  ...(await prettier.resolveConfig(path)),
  parser: "markdown",
});
writeFileSync(path, formatted);
console.log("README.md: variable table written");
