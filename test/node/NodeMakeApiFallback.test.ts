// NodeMakeApi.layerConfigOrEmulator, the Quick start's layer: real Make (here the emulator on a real port, reached over
// undici) when a token is configured under either of its names, else the in-process emulator with one warning line;
// and the token's two names in MakeConfig.options (MAKE_API_TOKEN wins over MAKE_API_KEY).
import { describe, expect, it } from "@effect/vitest"
import {
  Config,
  ConfigProvider,
  Effect,
  Exit,
  Layer,
  Logger,
  Option,
  Redacted,
  References,
  Result,
  Schema
} from "effect"
import { HttpServer } from "effect/http"
import * as MakeConfig from "../../src/MakeConfig.js"
import { NodeMakeApi } from "../../src/node/index.js"
import * as Organizations from "../../src/Organizations.js"
import { Emulator } from "../../src/testing/index.js"

/** The token the emulator on a port accepts: distinctive, so that its absence from every log line means something. */
const secret = "0b1c2d3e-quickstart-secret-4f5a6b7c8d9e"

const emulatorOnAPort = Emulator.layer({ port: 0, token: Redacted.make(secret) })

const env = (entries: Record<string, string>) => ConfigProvider.layer(ConfigProvider.fromEnv({ env: entries }))

/** A log message as text: Effect 4 logs the arguments of `Effect.log*` as an array. */
const text = (message: unknown): string => Array.isArray(message) ? message.map(String).join(" ") : String(message)

/** Every log line at every level, as `LEVEL message`, for the test to look through. */
const capture = (lines: Array<string>): Layer.Layer<never> =>
  Layer.merge(
    Logger.layer([
      Logger.make(({ logLevel, message }) => void lines.push(`${logLevel.toUpperCase()} ${text(message)}`))
    ]),
    Layer.succeed(References.MinimumLogLevel)("All")
  )

/** What one organization read through the layer shows: its name, and the log lines building and using it wrote. */
const readOrganization = (
  layer: Layer.Layer<Organizations.Organizations, unknown>,
  lines: Array<string>
) =>
  Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.get(11)).pipe(
    Effect.map((org) => org.name),
    Effect.provide(layer),
    Effect.provide(capture(lines))
  )

const notice = /is not set: using the embedded Make emulator \(in memory; nothing is sent to Make\)\.$/

describe("NodeMakeApi.layerConfigOrEmulator", () => {
  it.effect("no token: the services over the in-process emulator, and one warning naming MAKE_API_TOKEN", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      // a zone without a token is not enough for real Make: still the emulator
      const name = yield* readOrganization(
        NodeMakeApi.layerConfigOrEmulator().pipe(Layer.provide(env({ MAKE_ZONE: "eu1.make.com" }))),
        lines
      )
      expect(name).toBe("Acme")
      expect(lines).toEqual([
        "WARN MAKE_API_TOKEN is not set: using the embedded Make emulator (in memory; nothing is sent to Make)."
      ])
    }))

  it.effect("no token under a prefix: the warning names the prefixed variable", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      yield* readOrganization(
        NodeMakeApi.layerConfigOrEmulator({ prefix: "TENANT_A" }).pipe(Layer.provide(env({}))),
        lines
      )
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^WARN TENANT_A_MAKE_API_TOKEN is not set: /)
      expect(lines[0]).toMatch(notice)
    }))

  it.effect("no token, a malformed setting: its ConfigError, not the emulator", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const exit = yield* Effect.exit(
        readOrganization(
          NodeMakeApi.layerConfigOrEmulator().pipe(Layer.provide(env({ MAKE_TIMEOUT: "soon" }))),
          lines
        )
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("MAKE_TIMEOUT")
      expect(lines).toEqual([])
    }))

  for (const variable of ["MAKE_API_TOKEN", "MAKE_API_KEY"]) {
    it.live(`${variable} set: real Make at MAKE_BASE_URL (the emulator on a port), no warning, no token in the logs`, () =>
      Effect.gen(function*() {
        const server = yield* HttpServer.HttpServer
        const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
        const lines: Array<string> = []
        const name = yield* readOrganization(
          NodeMakeApi.layerConfigOrEmulator().pipe(
            Layer.provide(env({ [variable]: secret, MAKE_BASE_URL: baseUrl }))
          ),
          lines
        )
        expect(name).toBe("Acme")
        const requests = yield* Emulator.requests
        expect(requests.map((request) => ({ ...request }))).toEqual([
          expect.objectContaining({ method: "GET", path: "/organizations/11", status: 200, authenticated: true })
        ])
        expect(lines.filter((line) => notice.test(line))).toEqual([])
        expect(lines.join("\n")).not.toContain(secret)
      }).pipe(Effect.provide(emulatorOnAPort)))
  }
})

/** A token as Make issues them: printable, no whitespace (what MakeConfig accepts). */
const Token = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9-]{1,64}$/))

const tokenFrom = (entries: Record<string, string>) =>
  Effect.runSync(Effect.result(
    Config.map(MakeConfig.options, (options) => Redacted.value(options.token)).parse(
      ConfigProvider.fromEnv({ env: entries })
    )
  ))

describe("MakeConfig.options: the token's two names", () => {
  it.prop("MAKE_API_TOKEN wins over MAKE_API_KEY; MAKE_API_KEY alone is read", { token: Token, key: Token }, ({
    key,
    token
  }) => {
    expect(tokenFrom({ MAKE_API_TOKEN: token, MAKE_API_KEY: key })).toEqual(Result.succeed(token))
    expect(tokenFrom({ MAKE_API_KEY: key })).toEqual(Result.succeed(key))
    expect(tokenFrom({ MAKE_API_TOKEN: token })).toEqual(Result.succeed(token))
  })

  it("neither set: a ConfigError naming MAKE_API_TOKEN, the name this library documents", () => {
    // Effect 3 named both; Effect 4's MakeConfig names the one this library documents (test/MakeConfig.test.ts)
    const result = tokenFrom({ MAKE_ZONE: "eu1.make.com" })
    expect(Result.isFailure(result)).toBe(true)
    expect(String(Result.isFailure(result) ? result.failure : "")).toContain("MAKE_API_TOKEN")
  })

  it("neither set is absence, not an invalid value: Config.option answers None; a malformed setting still fails", () => {
    // what layerConfigOrEmulator decides on: re-raising the missing token with Config.fail made it a failure
    const read = (entries: Record<string, string>) =>
      Effect.runSync(Effect.result(Config.option(MakeConfig.options).parse(ConfigProvider.fromEnv({ env: entries }))))
    expect(read({ MAKE_ZONE: "eu1.make.com" })).toEqual(Result.succeed(Option.none()))
    expect(read({ MAKE_API_KEY: "k", MAKE_ZONE: "eu1.make.com" })).toMatchObject({
      _tag: "Success",
      success: { _tag: "Some", value: { zone: "eu1.make.com" } }
    })
    const malformed = read({ MAKE_TIMEOUT: "soon" })
    expect(Result.isFailure(malformed) && String(malformed.failure)).toContain("MAKE_TIMEOUT")
  })
})
