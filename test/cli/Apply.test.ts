// `effect-make apply` in process (`run(argv)` over an in-memory Output): a folder of YAML files (one holding a YAML
// stream) against the embedded emulator, one line per spec and the summary, --json decoding with the FleetResult
// schema; re-applying against the emulator on a port sends no write; exit codes: 1 for a failed spec (after the full
// report), 2 for a fleet refused before any request.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import { HttpServer } from "effect/http"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Emulator } from "../../src/testing/index.js"
import { FleetResult } from "../../src/workflows/FleetResult.js"
import { effectMake } from "./inProcess.js"

const decodeResult = Schema.decodeUnknownSync(Schema.fromJsonString(FleetResult))

const root = mkdtempSync(join(tmpdir(), "apply-"))

/** A folder of spec files: `name → YAML`. */
const folder = (name: string, files: Record<string, string>): string => {
  const path = join(root, name)
  mkdirSync(path)
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text)
  return path
}

const org = (name: string) => `organization: { name: ${name}, regionId: 1, timezoneId: 113, countryId: 1 }\n`
const spec = (name: string) => `${org(name)}teams:\n  - name: Ops\n  - name: Sales\n`

const fleet = folder("fleet", {
  "a.yaml": spec("Apply Alpha"),
  "b.yml": spec("Apply Bravo"),
  "both.yaml": `${spec("Apply Charlie")}---\n${spec("Apply Delta")}`,
  "e.json": JSON.stringify({
    organization: { name: "Apply Echo", regionId: 1, timezoneId: 113, countryId: 1 },
    teams: [{ name: "Ops" }, { name: "Sales" }]
  }),
  "README.md": "not a spec"
})

/** The emulator on a port, its organizations in sync at once, and the arguments that reach it. */
const secret = "tok-apply-3c9d"
const onPort = Emulator.layer({ port: 0, token: Redacted.make(secret), syncDelay: "0 millis" })
const toPort = Effect.map(Effect.service(HttpServer.HttpServer), (server) => [
  "--base-url",
  `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`,
  "--token",
  secret
])

describe("effect-make apply", () => {
  it.live(
    "a folder of YAML files: one line per spec in name order, the summary; --json is the FleetResult",
    () =>
      Effect.gen(function*() {
        const applied = yield* effectMake(["apply", fleet])
        expect(applied.code).toBe(0)
        const lines = applied.stdout.trimEnd().split("\n")
        expect(lines[0]).toMatch(/^source\s+organization\s+id\s+outcome\s+detail$/)
        expect(lines.slice(1, -1).map((line) => line.replaceAll(fleet, "<fleet>").split(/\s{2,}/))).toEqual([
          ["<fleet>/a.yaml", "Apply Alpha", expect.stringMatching(/^\d+$/), "applied", "created 3"],
          ["<fleet>/b.yml", "Apply Bravo", expect.stringMatching(/^\d+$/), "applied", "created 3"],
          ["<fleet>/both.yaml#1", "Apply Charlie", expect.stringMatching(/^\d+$/), "applied", "created 3"],
          ["<fleet>/both.yaml#2", "Apply Delta", expect.stringMatching(/^\d+$/), "applied", "created 3"],
          ["<fleet>/e.json", "Apply Echo", expect.stringMatching(/^\d+$/), "applied", "created 3"]
        ])
        expect(lines.at(-1)).toBe("5 specs: 5 applied, 0 unchanged, 0 failed (created 15)")

        const json = yield* effectMake(["--json", "apply", fleet, "--concurrency", "2"])
        expect(json.code).toBe(0)
        const result = decodeResult(json.stdout)
        expect(result.lines.map((line) => [line.organization, line.outcome, line.counts.created])).toEqual([
          ["Apply Alpha", "applied", 3],
          ["Apply Bravo", "applied", 3],
          ["Apply Charlie", "applied", 3],
          ["Apply Delta", "applied", 3],
          ["Apply Echo", "applied", 3]
        ])
        expect(result.summary).toMatchObject({ specs: 5, applied: 5, unchanged: 0, failed: 0 })
      }),
    60_000
  )

  it.live("re-applying an applied fleet sends no write: every line unchanged", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const target = yield* toPort
      expect((yield* effectMake([...target, "apply", fleet])).code).toBe(0)
      yield* emulator.clearRequests
      const again = yield* effectMake([...target, "--json", "apply", fleet])
      expect(again.code).toBe(0)
      expect(decodeResult(again.stdout).summary).toMatchObject({ specs: 5, applied: 0, unchanged: 5, failed: 0 })
      const methods = new Set((yield* emulator.requests).map((request) => request.method))
      expect([...methods]).toEqual(["GET"])
      const human = yield* effectMake([...target, "apply", fleet])
      expect(human.stdout.trimEnd().split("\n").at(-1)).toBe("5 specs: 0 applied, 5 unchanged, 0 failed (unchanged 15)")
    }).pipe(Effect.provide(onPort)), 60_000)

  it.live(
    "a spec that fails: its line says why, the others apply, exit 1 after the full report",
    () =>
      Effect.gen(function*() {
        // feature control 999 is one the organization lacks: Make answers 404, and the run rolls back
        const failing = folder("failing", {
          "a.yaml": spec("Fail Alpha"),
          "b.yaml": `${spec("Fail Bravo")}featureControls:\n  - { id: 999, enabled: true }\n`,
          "c.yaml": spec("Fail Charlie")
        })
        const human = yield* effectMake(["apply", failing])
        expect(human.code).toBe(1)
        const lines = human.stdout.trimEnd().split("\n")
        expect(lines).toHaveLength(5)
        expect(lines[1]).toMatch(/a\.yaml\s+Fail Alpha\s+\d+\s+applied\s+created 3$/)
        expect(lines[2]).toMatch(
          /b\.yaml\s+Fail Bravo\s+\d+\s+failed\s+ProvisionFailed: Provisioning failed at step "featureControls": .*rolled back/
        )
        expect(lines[3]).toMatch(/c\.yaml\s+Fail Charlie\s+\d+\s+applied\s+created 3$/)
        expect(lines[4]).toBe("3 specs: 2 applied, 0 unchanged, 1 failed (created 6)")
        expect(human.stderr).toContain("FleetFailed: 1 of 3 specs failed (see their lines in the report)")
        expect(human.stderr).toContain("→ Fix what failed and apply the fleet again")

        const json = yield* effectMake(["--json", "apply", failing])
        expect(json.code).toBe(1)
        const result = decodeResult(json.stdout)
        expect(result.lines[1]).toMatchObject({
          source: join(failing, "b.yaml"),
          outcome: "failed",
          error: { tag: "ProvisionFailed", step: "featureControls", reason: "NotFound" }
        })
        expect(result.summary).toMatchObject({ specs: 3, applied: 2, failed: 1 })
        expect(JSON.parse(json.stderr.trimEnd().split("\n").at(-1) ?? "")).toMatchObject({ error: "FleetFailed" })
      }),
    60_000
  )

  it.live(
    "a fleet refused before any request exits 2: an invalid file named, an organization twice, bad flags",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const target = yield* toPort
        const invalid = folder("invalid", {
          "good.yaml": spec("Valid Co"),
          "bad.yaml": `${org("Bad Co")}teams:\n  - name: Ops\n  - name: Ops\n`
        })
        const refused = yield* effectMake([...target, "apply", invalid])
        expect(refused.code).toBe(2)
        expect(refused.stdout).toBe("")
        expect(refused.stderr).toContain(`${join(invalid, "bad.yaml")}: teams: the team name "Ops" appears twice`)
        const twice = folder("twice", { "a.yaml": spec("Twin Co"), "b.yaml": spec("Twin Co") })
        const doubled = yield* effectMake([...target, "--json", "apply", twice])
        expect(doubled.code).toBe(2)
        expect(JSON.parse(doubled.stderr)).toMatchObject({
          error: "InvalidInput",
          issues: [
            `the organization "Twin Co" is named by ${join(twice, "a.yaml")}, ${
              join(twice, "b.yaml")
            }: keep one spec per organization`
          ]
        })
        expect((yield* effectMake([...target, "apply", fleet, "--concurrency", "0"])).code).toBe(2)
        expect((yield* effectMake([...target, "apply", join(root, "missing")])).code).toBe(2)
        expect((yield* effectMake([...target, "apply"])).code).toBe(2)
        expect(yield* emulator.requests).toEqual([])
      }).pipe(Effect.provide(onPort)),
    60_000
  )
})
