// House rules of src/ that the Effect 3 line's lint enforces and TypeScript does not: no `any`, no comment that
// silences the compiler. (The root has no typescript-eslint: it needs TypeScript's JavaScript API, absent in 7.)
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const src = fileURLToPath(new URL("../src/", import.meta.url))
const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"))

/** Every line of src/ matching `pattern`, outside comments and strings as far as a line can tell. */
const offending = (pattern: RegExp) =>
  files.flatMap((file) =>
    readFileSync(join(src, file), "utf8").split("\n").flatMap((line, index) => {
      const code = line.replace(/\/\/.*$/, "").replace(/"(?:[^"\\]|\\.)*"/g, "\"\"").replace(/^\s*\*.*$/, "")
      return pattern.test(code) ? [`${file}:${index + 1}: ${line.trim()}`] : []
    })
  )

describe("src/", () => {
  it("uses no `any`", () => {
    expect(offending(/(?::\s*any\b|\bas\s+any\b|<any>|\bany\[\])/)).toEqual([])
  })

  it("silences no compiler check", () => {
    const all = files.flatMap((file) =>
      readFileSync(join(src, file), "utf8").split("\n").flatMap((line, index) =>
        /@ts-ignore|@ts-expect-error|@ts-nocheck|eslint-disable/.test(line) ? [`${file}:${index + 1}`] : []
      )
    )
    expect(all).toEqual([])
  })

  it("the reader finds what it looks for (a check of the check)", () => {
    expect(/(?::\s*any\b|\bas\s+any\b|<any>|\bany\[\])/.test("const x: any = 1")).toBe(true)
    expect(files.length).toBeGreaterThan(20)
  })
})
