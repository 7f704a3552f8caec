// The `effect-make` command of every line, run on the same commands against ONE emulator (the first line's): the JSON
// on stdout, whether stderr is empty, and the exit code agree across lines. Imports vitest, node: modules and ./lines.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Line, lines, type RunningEmulator, type RunResult } from "./lines.js"

/** A provisioning spec for `provision --plan`: read-only (a plan never writes), so the order of the runs is free. */
const spec = {
  organization: { name: "Conformance Co", regionId: 1, timezoneId: 113, countryId: 1 },
  teams: [{ name: "Engineering" }, { name: "Support" }],
  variables: [{ name: "tier", typeId: 2, value: "gold" }],
  featureControls: [{ id: 7, enabled: true }]
}

/**
 * How a case is compared. `json`: stdout parsed as JSON, deep-equal across lines (plus stderr class and exit code).
 * `error`: a failure with `--json` prints nothing on stdout and one JSON object (error tag, message, hint) on stderr:
 * both compared, stderr parsed as JSON. `outcome`: only the exit code and whether stderr is empty, where the lines legitimately word things differently
 * (usage errors: each line's CLI library writes its own message and help layout, a documented difference).
 */
interface Case {
  readonly name: string
  readonly args: (specFile: string) => ReadonlyArray<string>
  readonly compare: "json" | "error" | "outcome"
  /** The exit code every line must give (checked on the first line; the others must equal it). */
  readonly code: number
}

const cases: ReadonlyArray<Case> = [
  { name: "--json orgs list", args: () => ["--json", "orgs", "list"], compare: "json", code: 0 },
  { name: "--json orgs get 11", args: () => ["--json", "orgs", "get", "11"], compare: "json", code: 0 },
  {
    name: "--json orgs get 999999 (not found)",
    args: () => ["--json", "orgs", "get", "999999"],
    compare: "error",
    code: 3
  },
  { name: "--json teams list 11", args: () => ["--json", "teams", "list", "11"], compare: "json", code: 0 },
  { name: "--json usage 11", args: () => ["--json", "usage", "11"], compare: "json", code: 0 },
  { name: "--json features list 11", args: () => ["--json", "features", "list", "11"], compare: "json", code: 0 },
  { name: "orgs get abc (usage error)", args: () => ["orgs", "get", "abc"], compare: "outcome", code: 2 },
  {
    name: "--json provision SPEC --plan",
    args: (file) => ["--json", "provision", file, "--plan"],
    compare: "json",
    code: 0
  }
]

/** What is compared of one run: the exit code, whether stderr is empty, and the JSON printed when the case says so. */
const observed = (result: RunResult, compare: Case["compare"]) => ({
  code: result.code,
  stderr: result.stderr.trim() === "" ? "empty" : "not empty",
  ...(compare === "json" ? { stdout: parseJson(result.stdout) } : {}),
  ...(compare === "error" ? { stdout: result.stdout, error: parseJson(result.stderr) } : {})
})

/** stdout as JSON, or the text itself when it is not JSON (so that a mismatch shows what was printed). */
const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return { notJson: text }
  }
}

describe("effect-make on every line, against one emulator", () => {
  let emulator: RunningEmulator
  let folder: string
  const results = new Map<string, ReadonlyArray<RunResult>>()

  beforeAll(async () => {
    const [first] = lines
    if (first === undefined) throw new Error("no line to start an emulator from")
    emulator = await first.start()
    folder = mkdtempSync(join(tmpdir(), "conformance-cli-"))
    const specFile = join(folder, "spec.json")
    writeFileSync(specFile, JSON.stringify(spec))
    // Two commands at a time (each start loads a whole program, through tsx for a line run from source), one line
    // after the other: eight at once on a busy 2-core machine took longer than a command's 60 s allowance.
    const runAll = async (line: Line) => {
      const done: Array<RunResult> = []
      for (let at = 0; at < cases.length; at += 2) {
        done.push(
          ...await Promise.all(
            cases.slice(at, at + 2).map((c) =>
              line.run(["--base-url", emulator.api, "--token", emulator.token, ...c.args(specFile)])
            )
          )
        )
      }
      return done
    }
    for (const line of lines) results.set(line.name, await runAll(line))
  }, 600_000)

  afterAll(async () => {
    await emulator?.stop()
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
  })

  it.each(cases.map((c, index) => ({ ...c, index })))("$name", ({ code, compare, index }) => {
    const byLine = lines.map((line) => {
      const result = results.get(line.name)?.[index]
      if (result === undefined) throw new Error(`${line.name} did not run`)
      return { line: line.name, ...observed(result, compare) }
    })
    const [first, ...others] = byLine
    expect(first?.code).toBe(code)
    // Two lines printing the same non-JSON would agree: the JSON cases must print JSON.
    if (compare !== "outcome") expect(first).not.toHaveProperty(compare === "json" ? "stdout.notJson" : "error.notJson")
    for (const other of others) expect({ ...other, line: first?.line }).toEqual(first)
  })
})
