// `npm run format` / `npm run lint`: formats the Effect 4 line's TypeScript with dprint, in the configuration the
// Effect 3 line's lint applies (@effect/eslint-plugin's dprint rule), so both lines read alike. Imports dprint only.
//
// With `--check` it changes nothing and fails listing the files that are not formatted. (typescript-eslint needs
// TypeScript's JavaScript API, which TypeScript 7 does not ship; the floors are checked by test/Floors.test.ts.)
import { createFromBuffer } from "@dprint/formatter"
import { getPath } from "@dprint/typescript"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

const root = join(import.meta.dirname, "..")
const folders = ["src", "test", "conformance", "scripts"]

const formatter = createFromBuffer(readFileSync(getPath()))
formatter.setConfig({ indentWidth: 2, lineWidth: 120 }, {
  semiColons: "asi",
  quoteStyle: "alwaysDouble",
  trailingCommas: "never",
  operatorPosition: "maintain",
  "arrowFunction.useParentheses": "force"
})

const files = [
  ...folders.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => join(root, folder, file))
  ),
  join(root, "vitest.config.ts")
]

const check = process.argv.includes("--check")
const unformatted = files.filter((filePath) => {
  const fileText = readFileSync(filePath, "utf8")
  // dprint can need a second pass to settle (a line it breaks changes where the next one breaks): format to a fixed point
  let formatted = fileText
  for (let pass = 0, previous = ""; pass < 5 && formatted !== previous; pass++) {
    previous = formatted
    formatted = formatter.formatText({ filePath, fileText: formatted })
  }
  if (formatted === fileText) return false
  if (!check) writeFileSync(filePath, formatted)
  return true
})

if (check && unformatted.length > 0) {
  console.error(`not formatted (npm run format):\n${unformatted.map((file) => `  ${relative(root, file)}`).join("\n")}`)
  process.exit(1)
}
console.log(`${files.length} files ${check ? "checked" : `formatted, ${unformatted.length} changed`}`)
