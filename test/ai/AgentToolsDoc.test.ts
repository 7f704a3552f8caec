// docs/agent-tools.md's tool table holds to what the code says: one row per tool of `MakeMcp.catalogue`, in its order,
// with its title, hints and route. A table written by hand cannot drift from the tools unnoticed.
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import * as MakeMcp from "../../src/ai/MakeMcp.js"

const doc = readFileSync(new URL("../../docs/agent-tools.md", import.meta.url), "utf8")

/** The rows of the table under `heading`, each as its cells (backticks dropped); the header row first. */
const table = (heading: string): ReadonlyArray<ReadonlyArray<string>> => {
  const section = doc.split(`\n## ${heading}\n`)[1]?.split("\n## ")[0] ?? ""
  return section.split("\n").filter((line) => line.startsWith("|")).filter((_, index) => index !== 1).map((line) =>
    line.split("|").slice(1, -1).map((cell) => cell.trim().replace(/`/g, ""))
  )
}

const yesNo = (hint: boolean): string => hint ? "yes" : "no"

/** A catalogue entry as the doc's row writes it. */
const rowOf = (entry: MakeMcp.Entry): ReadonlyArray<string> => [
  entry.name,
  entry.title,
  yesNo(entry.readOnly),
  yesNo(entry.destructive),
  yesNo(entry.idempotent),
  entry.calls
]

describe("docs/agent-tools.md", () => {
  it("the tool table lists every tool of the catalogue, in its order, with its title, hints and route", () => {
    const [header, ...rows] = table("The tools")
    expect(header).toEqual(["tool", "title", "read-only", "destructive", "idempotent", "calls"])
    expect(MakeMcp.catalogue).toHaveLength(33)
    expect(rows).toEqual(MakeMcp.catalogue.map(rowOf))
  })
})
