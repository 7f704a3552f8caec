// `effect-make` as a spawned process: the table and --json output against the embedded emulator, exit codes, --help
// with no token, and the emulator command serving a request with a token that never shows, then stopping cleanly.
import { describe, expect, it } from "@effect/vitest"
import { cli, startEmulator } from "./spawn.js"

const secret = "tok-8c1f-very-secret-3b7e"

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

  it("exits 3 on NotFound with the tag, message and a hint, no stack trace", async () => {
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

  it("--help works at every level with no token", async () => {
    for (const args of [["--help"], ["billing", "free", "--help"]]) {
      const result = await cli(args)
      expect(result.code, args.join(" ")).toBe(0)
      expect(result.stdout).toContain("USAGE")
    }
  })

  it("the emulator command serves requests with its token, logs them without it, and stops on SIGINT", async () => {
    const emulator = await startEmulator(["--token", secret])
    const base = ["--token", secret, "--base-url", `${emulator.url}/api/v2`]
    const listed = await cli([...base, "--json", "teams", "list", "11"])
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout).items.map((t: { name: string }) => t.name)).toContain("Marketing")
    expect(listed.stderr).not.toContain("embedded")
    const wrong = await cli(["--token", "not-the-token", "--base-url", `${emulator.url}/api/v2`, "orgs", "list"])
    expect(wrong.code).toBe(6)
    expect(wrong.stderr).toContain("Unauthorized")
    const docs = await fetch(`${emulator.url}/docs`)
    expect(docs.status).toBe(200)
    const stopped = await emulator.stop("SIGINT")
    expect(stopped.stdout).toMatch(/^GET \/api\/v2\/admin\/teams 200 \d+ms$/m)
    expect(stopped.stdout).toMatch(/^GET \/api\/v2\/organizations 401 \d+ms$/m)
    expect(stopped.stdout).toMatch(/^GET \/docs 200 \d+ms$/m)
    expect(stopped.stderr).toContain("Emulator stopped.")
    expect(stopped.code).toBe(0)
    for (const text of [listed.stdout, listed.stderr, wrong.stdout, wrong.stderr, stopped.stdout, stopped.stderr]) {
      expect(text).not.toContain(secret)
    }
  })

  it("stops on SIGTERM too", async () => {
    const emulator = await startEmulator([])
    const stopped = await emulator.stop("SIGTERM")
    expect(stopped.stderr).toContain("Emulator stopped.")
    expect(stopped.code).toBe(0)
  })
})
