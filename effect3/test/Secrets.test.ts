// Secrets stay secret: the token is in no error (message, String, JSON), log line at any level, span attribute or
// printed configuration; requests go only to the configured host; plain http only to loopback.
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Layer, Redacted, Ref } from "effect"
import * as AdminTeams from "../src/AdminTeams.js"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeClient from "../src/MakeClient.js"
import * as MakeConfig from "../src/MakeConfig.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import { Emulator, MakeTest } from "../src/testing/index.js"
import { recorder, type RecordingSpan } from "./support/recording.js"

const secret = Redacted.value(Emulator.defaultToken)
const wrongSecret = "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a"

interface Recorded {
  readonly spans: Array<RecordingSpan>
  readonly lines: Array<string>
}

const record = (recorded: Recorded) =>
  recorder({ span: (span) => recorded.spans.push(span), line: (line) => recorded.lines.push(line) })

const printedForms = (error: unknown): ReadonlyArray<string> => [
  String(error),
  JSON.stringify(error),
  error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : "",
  Cause.pretty(Cause.fail(error))
]

describe("secrets", () => {
  it.effect("no error, log line (any level), span attribute or event carries the token", () => {
    const recorded: Recorded = { spans: [], lines: [] }
    return Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const teams = yield* AdminTeams.AdminTeams
      const variables = yield* OrganizationVariables.OrganizationVariables
      const errors: Array<unknown> = []
      const attempt = <A, E>(effect: Effect.Effect<A, E>) =>
        effect.pipe(
          Effect.tapErrorCause((cause) => Effect.logError("call failed", cause)),
          Effect.tap((value) => Effect.logDebug("call succeeded", value)),
          Effect.catchAll((error) => Effect.sync(() => errors.push(error)))
        )
      yield* attempt(orgs.list())
      yield* attempt(orgs.get(11))
      yield* attempt(orgs.get(999))
      yield* attempt(orgs.delete(11))
      yield* attempt(orgs.get(0))
      yield* attempt(teams.create({ name: "", organizationId: 11 }))
      yield* attempt(variables.create(13, { name: "x", typeId: 1, value: 1 }))
      yield* attempt(variables.update(11, "missing", { typeId: 1, value: 1 }))
      expect(errors.map((e) => tagOf(e))).toEqual([
        "NotFound",
        "NotConfirmed",
        "InvalidInput",
        "InvalidInput",
        "FeatureUnavailable",
        "NotFound"
      ])
      for (const error of errors) {
        for (const printed of printedForms(error)) expect(printed).not.toContain(secret)
      }
      expect(recorded.lines.length).toBeGreaterThan(5)
      for (const line of recorded.lines) expect(line).not.toContain(secret)
      expect(recorded.spans.map((s) => s.name)).toEqual(expect.arrayContaining([
        "Make.Organizations.list",
        "Make.Organizations.get",
        "Make.Organizations.delete",
        "Make.AdminTeams.create",
        "Make.OrganizationVariables.create"
      ]))
      for (const span of recorded.spans) {
        const attributes = JSON.stringify([...span.attributes].map(([k, v]) => [k, String(v)]))
        expect(attributes).not.toContain(secret)
        expect(span.events.join("\n")).not.toContain(secret)
      }
      // the HTTP client span records the Authorization header, redacted
      const httpSpan = recorded.spans.find((s) => s.attributes.has("http.request.header.authorization"))
      expect(httpSpan?.attributes.get("http.request.header.authorization")).toBe("<redacted>")
      const emulator = yield* Emulator.Emulator
      expect(JSON.stringify(yield* emulator.requests)).not.toContain(secret)
    }).pipe(Effect.provide(MakeTest.layer()), Effect.provide(record(recorded)))
  })

  it.effect("a refused token is in no error or log either", () => {
    const recorded: Recorded = { spans: [], lines: [] }
    return Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.get(11))
      yield* Effect.logError(error)
      expect(error._tag).toBe("Unauthorized")
      for (const printed of [...printedForms(error), ...recorded.lines]) expect(printed).not.toContain(wrongSecret)
    }).pipe(
      Effect.provide(
        MakeApi.layer({ token: Redacted.make(wrongSecret), baseUrl: Emulator.baseUrl }).pipe(
          Layer.orDie,
          Layer.provideMerge(Emulator.layerTest())
        )
      ),
      Effect.provide(record(recorded))
    )
  })

  it.effect("the printed and logged configuration and client never show the token", () => {
    const recorded: Recorded = { spans: [], lines: [] }
    return Effect.gen(function*() {
      const client = yield* MakeClient.MakeClient
      const config = yield* MakeConfig.make({ token: Redacted.make(secret), zone: "eu1.make.com" })
      for (
        const printed of [
          String(config),
          JSON.stringify(config),
          String(client.config.token),
          JSON.stringify(client.config)
        ]
      ) {
        expect(printed).not.toContain(secret)
      }
      yield* Effect.log(config)
      yield* Effect.log(client.config)
      expect(recorded.lines).toHaveLength(2)
      expect(recorded.lines.join("\n")).toContain("eu1.make.com")
      for (const line of recorded.lines) expect(line).not.toContain(secret)
    }).pipe(Effect.provide(MakeTest.layer()), Effect.provide(record(recorded)))
  })

  it.effect("requests go only to the configured host, whatever the arguments", () =>
    Effect.gen(function*() {
      const urls = yield* Ref.make<ReadonlyArray<string>>([])
      const recordingClient = Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request, url) =>
          Ref.update(urls, (all) => [...all, url.toString()]).pipe(
            Effect.as(HttpClientResponse.fromWeb(request, new Response("{}", { status: 404 })))
          )
        )
      )
      yield* Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const variables = yield* OrganizationVariables.OrganizationVariables
        yield* Effect.either(orgs.list({ zone: "evil.example.com", externalId: "//evil.example.com" }))
        yield* Effect.either(variables.history(11, "a/../../x"))
        yield* Effect.either(variables.update(11, "$_x", { typeId: 1, value: 1 }))
        yield* Effect.either(orgs.checkTeamPermission(11, "scenario add"))
      }).pipe(
        Effect.provide(
          MakeApi.layer({ token: Redacted.make(secret), zone: "eu1.make.com", retry: "off" }).pipe(
            Layer.orDie,
            Layer.provide(recordingClient)
          )
        )
      )
      const sent = yield* Ref.get(urls)
      // the variable name `a/../../x` is refused before sending; the others go to Make, and only there (the variable
      // update's 404 makes the client read the organization's licence)
      expect(sent.map((url) => {
        const { origin, pathname } = new URL(url)
        return `${origin}${pathname}`
      })).toEqual([
        "https://eu1.make.com/api/v2/organizations",
        "https://eu1.make.com/api/v2/organizations/11/variables/$_x",
        "https://eu1.make.com/api/v2/organizations/11",
        "https://eu1.make.com/api/v2/organizations/11/check-team-permission"
      ])
      expect(sent.some((url) => url.includes(".."))).toBe(false)
    }))

  it.effect("plain http is refused for any host but loopback", () =>
    Effect.gen(function*() {
      for (
        const baseUrl of ["http://eu1.make.com/api/v2", "http://10.0.0.1/api/v2", "http://localhost.evil.com/api/v2"]
      ) {
        const error = yield* Effect.flip(MakeConfig.make({ token: Redacted.make(secret), baseUrl }))
        expect(error.message).toContain("https")
      }
      for (const baseUrl of ["http://localhost:8080/api/v2", "http://127.0.0.1/api/v2", "http://[::1]:9/api/v2"]) {
        expect((yield* MakeConfig.make({ token: Redacted.make(secret), baseUrl })).baseUrl).toBe(baseUrl)
      }
    }))
})

const tagOf = (u: unknown): string =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" ? u._tag : "?"
