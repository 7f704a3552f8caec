// The suite's own rules: the lines it runs against, and that it speaks HTTP only (no `effect` import in any file).
// Imports vitest, node:fs and ./lines.ts.
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { lines } from "./lines.js"

describe("the conformance suite", () => {
  it("runs against at least one line, each named once", () => {
    expect(lines.length).toBeGreaterThan(0)
    expect(new Set(lines.map((line) => line.name)).size).toBe(lines.length)
  })

  it("imports neither `effect` nor `@effect/*` anywhere: it checks the wire, not a client", () => {
    const folder = new URL(".", import.meta.url)
    const files = readdirSync(folder).filter((file) => file.endsWith(".ts"))
    expect(files).toContain("lines.ts")
    const importing = files.filter((file) =>
      /(?:from|import)\s*\(?\s*["'](?:effect|@effect\/)/.test(readFileSync(new URL(file, folder), "utf8"))
    )
    expect(importing).toEqual([])
  })
})
