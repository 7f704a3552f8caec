// `effect-make` in process (`run(argv)` over an in-memory Output and a given environment), against the embedded
// emulator or the emulator on a port: every one of the 30 endpoints, tables and --json, exit codes per error class.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { HttpServer } from "effect/http"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Emulator } from "../../src/testing/index.js"
import { effectMake } from "./inProcess.js"

const spec = fileURLToPath(new URL("../../examples/acme.yaml", import.meta.url))
const hash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"

/**
 * One attempt per call where the network is down: the client's retries would wait real seconds (Effect 3 waited
 * them); the error class and the exit code are the same after one attempt.
 */
const oneAttempt = { MAKE_RETRY_MAX_ATTEMPTS: "1" }

/** One command per endpoint of the contract (30), each answering 0 against the emulator's seed. */
const everyEndpoint: ReadonlyArray<ReadonlyArray<string>> = [
  ["orgs", "list", "--limit", "2"],
  ["orgs", "get", "11"],
  ["orgs", "create", "--name", "Delta", "--region-id", "1", "--timezone-id", "113", "--country-id", "1"],
  ["orgs", "update", "12", "--name", "Beta"],
  ["orgs", "delete", "11", "--confirm"],
  ["orgs", "apps", "11"],
  ["orgs", "permission", "11", "scenario add"],
  ["teams", "list", "11"],
  ["teams", "create", "11", "--name", "Ops"],
  ["teams", "update", "21", "--name", "Core"],
  ["teams", "delete", "22"],
  ["vars", "list", "11"],
  ["vars", "create", "11", "retries", "3", "--type", "number"],
  ["vars", "update", "11", "maintenanceMode", "true", "--type", "boolean"],
  ["vars", "delete", "11", "apiBaseUrl", "--confirm"],
  ["vars", "history", "11", "dailyLimit"],
  ["invitations", "invite", "11", "--email", "fox@example.com", "--name", "Fox Mulder", "--team", "21"],
  ["invitations", "get", hash],
  ["invitations", "accept", hash],
  ["billing", "payments", "11"],
  ["billing", "pay", "11", "--price-id", "201", "--quantity", "2"],
  ["billing", "subscription", "11"],
  ["billing", "subscribe", "13", "--price-id", "101"],
  ["billing", "change", "11", "--price-id", "102"],
  ["billing", "cancel", "11"],
  ["billing", "free", "11", "--confirm"],
  ["billing", "coupon", "11", "SPRING25"],
  ["usage", "11"],
  ["features", "list", "11"],
  ["features", "set", "11", "7", "off"]
]

describe("effect-make (in process)", () => {
  it.live("reaches every one of the 30 endpoints", () =>
    Effect.gen(function*() {
      expect(everyEndpoint).toHaveLength(30)
      for (const args of everyEndpoint) {
        const result = yield* effectMake(args)
        expect({ args, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 })
      }
    }), 60_000)

  it.live("prints lists as aligned tables, colour only when the output says so", () =>
    Effect.gen(function*() {
      const plain = yield* effectMake(["teams", "list", "11"])
      expect(plain.stdout.split("\n")[0]).toMatch(/^id\s{2,}name\s{2,}organizationId/)
      expect(plain.stdout).toContain("Marketing")
      expect(plain.stdout).not.toContain("\u001b[")
      const coloured = yield* effectMake(["teams", "list", "11"], { colour: true, tty: true })
      expect(coloured.stdout).toContain("\u001b[")
      // as on Effect 3: nested values (an organization's privateSpaces, a list) are no column
      const orgs = yield* effectMake(["orgs", "list"])
      expect(orgs.stdout.split("\n")).toEqual([
        "id  name       timezoneId",
        "11  Acme       113",
        "12  Beta Labs  164",
        "13  Gamma      113",
        ""
      ])
    }))

  it.live("--json prints one JSON document on stdout, logs on stderr", () =>
    Effect.gen(function*() {
      const result = yield* effectMake(["--json", "vars", "list", "11"])
      expect(result.code).toBe(0)
      const variables = JSON.parse(result.stdout)
      expect(variables.map((v: { name: string }) => v.name)).toContain("launchDate")
      expect(result.stderr).toContain("embedded Make emulator")
      const failed = yield* effectMake(["--json", "orgs", "get", "99"])
      expect(failed.stdout).toBe("")
      expect(JSON.parse(failed.stderr.split("\n")[1] ?? "")).toMatchObject({ error: "NotFound" })
    }))

  it.live("--help at every level needs no token and colours only when the output may", () =>
    Effect.gen(function*() {
      for (const args of [["--help"], ["orgs", "--help"], ["vars", "create", "--help"], ["emulator", "--help"]]) {
        const help = yield* effectMake(args)
        expect({ args, code: help.code }).toEqual({ args, code: 0 })
        expect(help.stdout).toContain("USAGE")
        expect(help.stdout).not.toContain("\u001b[")
        expect(help.stderr).not.toContain("emulator.")
      }
      const coloured = yield* effectMake(["--help"], { colour: true, tty: true })
      expect(coloured.stdout).toContain("\u001b[")
      const version = yield* effectMake(["--version"])
      expect([version.code, version.stdout, version.stderr]).toEqual([0, "1.0.0\n", ""])
      const usage = yield* effectMake(["orgs", "lst"])
      expect(usage.code).toBe(2)
      expect(usage.stderr).toContain("Invalid subcommand")
    }))

  it.live("--all walks every page: JSON lines with --json, one table without", () =>
    Effect.gen(function*() {
      const lines = yield* effectMake(["--json", "orgs", "list", "--all", "--limit", "2"])
      expect(lines.code).toBe(0)
      const names = lines.stdout.trim().split("\n").map((line) => JSON.parse(line).name)
      expect(names).toEqual(["Acme", "Beta Labs", "Gamma"])
      const table = yield* effectMake(["teams", "list", "11", "--all", "--limit", "1"])
      expect(table.stdout.trim().split("\n")).toHaveLength(4)
    }))

  it.live("answers a documented exit code per error class", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, number, string]> = [
        [["orgs", "lst"], 2, ""],
        [["orgs", "get", "eleven"], 2, ""],
        [["billing", "coupon", "11", "no spaces"], 2, "InvalidInput"],
        [["vars", "create", "11", "n", "abc", "--type", "number"], 2, "InvalidInput: Invalid arguments for"],
        [["orgs", "get", "99"], 3, "NotFound"],
        [["orgs", "delete", "11"], 4, "NotConfirmed"],
        [["vars", "create", "13", "x", "1", "--type", "number"], 5, "FeatureUnavailable"],
        [["--token", "wrong-token", "--base-url", "http://127.0.0.1:9/api/v2", "orgs", "list"], 8, "TransportError"]
      ]
      for (const [args, code, tag] of cases) {
        const result = yield* effectMake(args, { env: oneAttempt })
        expect({ args, code: result.code }).toEqual({ args, code })
        expect(result.stderr).toContain(tag)
      }
    }), 30_000)

  it.live(
    "provision: --plan lists the changes, then a run prints progress and the result",
    () =>
      Effect.gen(function*() {
        const plan = yield* effectMake(["--json", "provision", spec, "--plan"])
        expect(plan.code).toBe(0)
        expect(JSON.parse(plan.stdout).changes.length).toBeGreaterThan(0)
        const applied = yield* effectMake(["provision", spec])
        expect(applied.code).toBe(0)
        expect(applied.stderr).toMatch(/^organization: done/m)
        expect(applied.stderr).toContain("run succeeded")
        expect(applied.stdout).toMatch(/^resource\s+key/m)
        const lines = yield* effectMake(["--json", "provision", spec])
        const events = lines.stdout.trim().split("\n").map((line) => JSON.parse(line))
        expect(events.some((e) => e._tag === "Finished")).toBe(true)
        expect(events.at(-1)).toHaveProperty("executionId")
      }),
    60_000
  )

  it.live(
    "provision --concurrency: the run's calls per step; out of 1..64 refused as InvalidInput, exit 2",
    () =>
      Effect.gen(function*() {
        const refused = yield* effectMake(["provision", "--concurrency", "65", spec])
        expect(refused.code).toBe(2)
        expect(refused.stderr).toContain("InvalidInput")
        expect(refused.stderr).toContain("concurrency")
        const applied = yield* effectMake(["--json", "provision", "--concurrency", "2", spec])
        expect(applied.code).toBe(0)
        const result = JSON.parse(applied.stdout.trim().split("\n").at(-1) ?? "null")
        expect(result.teams.map((team: { readonly status: string }) => team.status)).toEqual([
          "created",
          "created",
          "created"
        ])
      }),
    60_000
  )

  it.live(
    "provision on a TTY redraws one live line (step, done/total, elapsed) above the finished steps",
    () =>
      Effect.gen(function*() {
        const result = yield* effectMake(["provision", spec], { tty: true })
        expect(result.code).toBe(0)
        expect(result.stderr).toContain("\r\u001b[K")
        expect(result.stderr).toMatch(/teams: \d+\/3 {2}\d+\.\ds/)
        expect(result.stderr).toMatch(/\u001b\[Kteams: done \(3 created\) {2}\d+\.\ds$/m)
      }),
    30_000
  )

  it.live("decommission deletes an organization", () =>
    Effect.gen(function*() {
      const result = yield* effectMake(["--json", "decommission", "12"])
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("12")
    }), 30_000)

  it.live("openapi --out writes the document with all 30 operations", () =>
    Effect.gen(function*() {
      const out = join(mkdtempSync(join(tmpdir(), "effect-make-")), "openapi.json")
      const result = yield* effectMake(["openapi", "--out", out])
      expect(result.code).toBe(0)
      expect(result.stderr).toBe(`${out}: 30 operations\n`)
      const document = JSON.parse(readFileSync(out, "utf8"))
      const operations = Object.values(document.paths).flatMap((item) => Object.keys(item as object))
      expect(operations).toHaveLength(30)
      // the document every line publishes, byte for byte: the committed snapshot (Effect 3 compared its shipped copy)
      expect(readFileSync(out, "utf8")).toBe(
        readFileSync(new URL("../../fixtures/openapi.json", import.meta.url), "utf8")
      )
      // without --out, the same text on stdout
      const printed = yield* effectMake(["openapi"])
      expect([printed.code, printed.stdout]).toEqual([0, readFileSync(out, "utf8")])
    }))

  it.live("never writes the token", () =>
    Effect.gen(function*() {
      const token = "tok-d3adb33f-secret"
      const args = ["--token", token, "--base-url", "http://127.0.0.1:9/api/v2", "orgs", "get", "11"]
      // and with --json, and from the environment (both names): the report and the cause hold no token
      for (
        const [extra, env] of [
          [["--verbose"], oneAttempt],
          [["--verbose", "--json"], oneAttempt],
          [["--verbose"], { ...oneAttempt, MAKE_API_KEY: token }],
          [["--verbose"], { ...oneAttempt, MAKE_API_TOKEN: token }]
        ] as const
      ) {
        const fromEnv = "MAKE_API_KEY" in env || "MAKE_API_TOKEN" in env
        const result = yield* effectMake([...extra, ...(fromEnv ? args.slice(2) : args)], { env })
        expect(result.code).toBe(8)
        expect(result.stderr).toContain("TransportError")
        expect(result.stdout + result.stderr).not.toContain(token)
      }
      // a token MakeConfig refuses is told without itself
      const refused = yield* effectMake(["--verbose", "--token", `${token} pasted twice`, "orgs", "get", "11"])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain("InvalidInput: Invalid arguments for MakeConfig: token contains whitespace")
      expect(refused.stdout + refused.stderr).not.toContain(token)
    }), 30_000)
})

/** The token the emulator on a port accepts: distinctive, so that its absence from the output means something. */
const secret = "tok-8c1f-very-secret-3b7e"

describe("effect-make (in process) against the emulator on a port", () => {
  it.live("reads MAKE_API_KEY beside MAKE_API_TOKEN; MAKE_API_TOKEN wins; --token wins; none is printed", () =>
    Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
      const args = ["--base-url", baseUrl, "--json", "teams", "list", "11"]
      const key = yield* effectMake(args, { env: { MAKE_API_KEY: secret } })
      const both = yield* effectMake(args, { env: { MAKE_API_TOKEN: "tok-the-wrong-one", MAKE_API_KEY: secret } })
      const flag = yield* effectMake(["--token", secret, ...args], { env: { MAKE_API_TOKEN: "tok-the-wrong-one" } })
      expect(key.code).toBe(0)
      expect(JSON.parse(key.stdout).items.map((t: { name: string }) => t.name)).toContain("Marketing")
      expect(key.stderr).not.toContain("embedded")
      expect(both.code).toBe(6)
      expect(both.stdout).toBe("")
      expect(JSON.parse(both.stderr)).toMatchObject({ error: "Unauthorized" })
      expect(both.stderr).toContain("MAKE_API_KEY")
      expect(flag.code).toBe(0)
      for (const text of [key.stdout, key.stderr, both.stdout, both.stderr, flag.stdout, flag.stderr]) {
        expect(text).not.toContain(secret)
        expect(text).not.toContain("tok-the-wrong-one")
      }
    }).pipe(Effect.provide(Emulator.layer({ port: 0, token: Redacted.make(secret) }))))

  it.live(
    "--zone names real Make, and wins over MAKE_BASE_URL; --base-url wins over --zone",
    () =>
      Effect.gen(function*() {
        const server = yield* HttpServer.HttpServer
        const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
        const env = { MAKE_API_TOKEN: secret, MAKE_BASE_URL: baseUrl, ...oneAttempt }
        // a zone no resolver knows: the request goes there (TransportError), not to the emulator of MAKE_BASE_URL
        const zone = yield* effectMake(["--zone", "eu1.make.invalid", "orgs", "get", "11"], { env })
        expect(zone.code).toBe(8)
        expect(zone.stderr).toContain("TransportError")
        const both = yield* effectMake(["--zone", "eu1.make.invalid", "--base-url", baseUrl, "orgs", "get", "11"], {
          env
        })
        expect(both.code).toBe(0)
        expect(both.stdout).toMatch(/^name\s+Acme$/m)
        // no token: the emulator answers, whatever --zone names (not asked; as on Effect 3)
        const noToken = yield* effectMake(["--zone", "bad zone", "orgs", "get", "11"])
        expect(noToken.code).toBe(0)
        expect(noToken.stderr).toContain("embedded Make emulator")
      }).pipe(Effect.provide(Emulator.layer({ port: 0, token: Redacted.make(secret) }))),
    30_000
  )

  it.live("a malformed MAKE_* setting is a usage error (2), told with its variable, token or not", () =>
    Effect.gen(function*() {
      for (const env of [{ MAKE_TIMEOUT: "soon" }, { MAKE_TIMEOUT: "soon", MAKE_API_TOKEN: secret }]) {
        const result = yield* effectMake(["orgs", "get", "11"], { env })
        expect(result.code).toBe(2)
        expect(result.stderr).toContain("ConfigError")
        expect(result.stderr).toContain("MAKE_TIMEOUT")
        expect(result.stdout + result.stderr).not.toContain(secret)
      }
    }))
})
