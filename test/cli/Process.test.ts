// `effect-make` as a spawned process (src/cli/bin.ts under the root's tsx, on this Node): the table and --json output
// against the embedded emulator, exit codes through process.exitCode, --help with no token, a stack only with --verbose.
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url))
const bin = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url))

interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `effect-make ...args` to the end, with no MAKE_* variable of this process and no colour. */
const cli = (args: ReadonlyArray<string>): Promise<Result> =>
  new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MAKE_")))
    const child = spawn(process.execPath, [tsx, bin, ...args], { env: { ...env, NO_COLOR: "1" } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("effect-make (spawned)", { timeout: 60_000 }, () => {
  it("lists organizations as an aligned table, the emulator said once on stderr", async () => {
    const result = await cli(["orgs", "list"])
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(/^id\s+name\s+/)
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[1])).toEqual(["Acme", "Beta Labs", "Gamma"])
    // aligned: every row's second column starts where the header's does
    const column = lines[0]?.indexOf("name")
    for (const line of lines.slice(1)) expect(line.charAt((column ?? 0) - 1)).toBe(" ")
    expect(result.stderr.match(/embedded Make emulator/g)).toHaveLength(1)
    expect(result.stdout).not.toContain("\u001b[")
  })

  it("--json prints one JSON document on stdout and nothing else", async () => {
    const result = await cli(["--json", "orgs", "get", "11"])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ id: 11, name: "Acme" })
    expect(result.stdout.trim().split("\n")).toHaveLength(1)
  })

  it("exits 3 on NotFound with the tag, message and a hint, no stack trace; --verbose adds it", async () => {
    const result = await cli(["orgs", "get", "99"])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain("NotFound: Organization 99 was not found")
    expect(result.stderr).toContain("→")
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/)
    const verbose = await cli(["--verbose", "orgs", "get", "99"])
    expect(verbose.code).toBe(3)
    expect(verbose.stderr).toMatch(/\bat .*\.ts:\d+/)
  })

  it("exits 2 on a usage error and on InvalidInput", async () => {
    expect((await cli(["orgs", "nope"])).code).toBe(2)
    const invalid = await cli(["teams", "create", "11", "--name", " "])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toContain("InvalidInput: Invalid arguments for AdminTeams.create")
  })

  it("--help works with no token", async () => {
    const result = await cli(["billing", "free", "--help"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("USAGE")
    expect(result.stderr).toBe("")
  })
})
