// `effect-make` as a spawned process (src/cli/bin.ts under the root's tsx, on this Node): the table and --json output
// against the embedded emulator, exit codes through process.exitCode, --help with no token, a stack only with --verbose;
// the emulator command serving requests with a token that never shows, then stopping cleanly; provision and decommission.
import { describe, expect, it } from "@effect/vitest"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { cli, collect, spawnCli, startEmulator } from "./spawned.js"

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

  it("a reader that closes the pipe early ends the command quietly (exit 0, no EPIPE stack)", async () => {
    const child = spawnCli(["openapi"])
    const done = collect(child)
    // read the first chunk, then close our end as `head -c 10` does
    await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()))
    child.stdout?.destroy()
    const result = await done
    expect(result.stderr).not.toContain("EPIPE")
    expect(result.code).toBe(0)
  })

  it("--help works with no token", async () => {
    const result = await cli(["billing", "free", "--help"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("USAGE")
    expect(result.stderr).toBe("")
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

  it("stops on SIGTERM too; without --token it prints the default token to send, and that token works", async () => {
    const emulator = await startEmulator([])
    const defaultToken = "6c3e2a1f-5b7d-4e8a-9c0d-1f2e3a4b5c6d"
    const listed = await cli(["--token", defaultToken, "--base-url", `${emulator.url}/api/v2`, "orgs", "list"])
    expect(listed.code).toBe(0)
    const stopped = await emulator.stop("SIGTERM")
    expect(stopped.stderr).toMatch(new RegExp(`^  Token {4}${defaultToken} `, "m"))
    expect(stopped.stderr).not.toContain("without printing")
    expect(stopped.stderr).toContain("Emulator stopped.")
    expect(stopped.code).toBe(0)
  })
})

describe("effect-make (spawned): what a user types", { timeout: 120_000 }, () => {
  const acme = fileURLToPath(new URL("../../examples/acme.yaml", import.meta.url))

  it("`decommission 99` (no such organization) is NotFound, exit 3, and removes nothing", async () => {
    const result = await cli(["decommission", "99"])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain("NotFound: Organization 99 was not found")
    expect(result.stderr).not.toContain("run succeeded")
    expect(result.stderr).not.toContain("gone")
    expect(result.stdout).toBe("")
  })

  it("`provision --plan` prints one row per entity, no JSON in a cell", async () => {
    const result = await cli(["provision", "--plan", acme])
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(/^resource\s+key\s+id\s+action\s+detail$/)
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 2).join(" "))).toEqual([
      "organization Acme Robotics",
      "team Engineering",
      "team Marketing",
      "team Support",
      "variable supportTier",
      "variable launchDate",
      "invitation ann@example.com",
      "featureControl 7"
    ])
    expect(result.stdout).not.toMatch(/[[{]"/)
  })

  it("an invalid spec reports every problem in one round, one per line, with a hint that describes the spec", async () => {
    const spec = join(mkdtempSync(join(tmpdir(), "effect-make-spec-")), "bad.yaml")
    writeFileSync(
      spec,
      [
        "organization: { name: Acme, regionId: 1, timezoneId: 113, countryId: x }",
        "teams: [{ name: Eng }, { name: Eng }]",
        "invitations: [{ email: not-an-email, name: Ann, teams: [Ops] }]"
      ].join("\n")
    )
    const result = await cli(["provision", spec])
    expect(result.code).toBe(2)
    const report = result.stderr.slice(result.stderr.indexOf("InvalidInput"))
    expect(report.trimEnd().split("\n").slice(0, 5)).toEqual([
      "InvalidInput: Invalid arguments for ProvisionSpec:",
      // Effect 4's schema names the field's type (Id) and says "got": Effect 3 said `Expected number, actual "x"`
      "  - organization.countryId: Expected Id, got \"x\"",
      "  - invitations.0.email: must be an e-mail address such as ann@example.com",
      "  - teams: the team name \"Eng\" appears twice",
      "  - invitations.0.teams: \"Ops\" is not a team of this spec"
    ])
    expect(report).toMatch(/→ A spec \(YAML or JSON\) has organization \{name, regionId, timezoneId, countryId/)
    expect(report).toContain("examples/acme.yaml")
    expect(report).not.toContain("see --help")
  })
})
