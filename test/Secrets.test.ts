// Secrets stay secret: the token is in no error (message, String, JSON), log line at any level, span attribute or
// printed configuration; requests go only to the configured host, the token never to another origin; plain http
// only to loopback.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Ref } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import * as AdminTeams from "../src/AdminTeams.js"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeClient from "../src/MakeClient.js"
import * as MakeConfig from "../src/MakeConfig.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import * as Emulator from "../src/testing/Emulator.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import { printedForms, recorder, type RecordingSpan, spanText } from "./support/limits.js"

const secret = Redacted.value(Emulator.defaultToken)
const wrongSecret = "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a"

interface Recorded {
  readonly spans: Array<RecordingSpan>
  readonly lines: Array<string>
}

const record = (recorded: Recorded) =>
  recorder({ span: (span) => recorded.spans.push(span), line: (line) => recorded.lines.push(line) })

const tagOf = (u: unknown): string =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" ? u._tag : "?"

describe("secrets", () => {
  // The Effect 3 case's calls, and (from the Organizations-only port) a refused permission name, an update and an
  // unknown organization's apps.
  it.effect("no error, log line (any level), span attribute or event carries the token", () => {
    const recorded: Recorded = { spans: [], lines: [] }
    return Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const teams = yield* AdminTeams.AdminTeams
      const variables = yield* OrganizationVariables.OrganizationVariables
      const errors: Array<unknown> = []
      const attempt = <A, E>(effect: Effect.Effect<A, E>) =>
        effect.pipe(
          Effect.tapCause((cause) => Effect.logError("call failed", cause)),
          Effect.tap((value) => Effect.logDebug("call succeeded", value)),
          Effect.catch((error) => Effect.sync(() => errors.push(error)))
        )
      yield* attempt(orgs.list())
      yield* attempt(orgs.get(11))
      yield* attempt(orgs.get(999))
      yield* attempt(orgs.delete(11))
      yield* attempt(orgs.get(0))
      yield* attempt(orgs.checkTeamPermission(11, "DROP TABLE"))
      yield* attempt(orgs.update(11, { name: "Acme EU" }))
      yield* attempt(orgs.apps(998))
      yield* attempt(teams.create({ name: "", organizationId: 11 }))
      yield* attempt(variables.create(13, { name: "x", typeId: 1, value: 1 }))
      yield* attempt(variables.update(11, "missing", { typeId: 1, value: 1 }))
      expect(errors.map(tagOf)).toEqual([
        "NotFound",
        "NotConfirmed",
        "InvalidInput",
        "InvalidInput",
        "NotFound",
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
        "Make.Organizations.checkTeamPermission",
        "Make.Organizations.update",
        "Make.Organizations.apps",
        "Make.AdminTeams.create",
        "Make.OrganizationVariables.create",
        "Make.OrganizationVariables.update"
      ]))
      for (const span of recorded.spans) expect(spanText(span)).not.toContain(secret)
      // the HTTP client span records the Authorization header, redacted (Effect 4 records no header unless told to:
      // the test tells it to record them all, as a user who wants them in their traces would)
      const httpSpan = recorded.spans.find((s) => s.attributes.has("http.request.header.authorization"))
      expect(httpSpan?.attributes.get("http.request.header.authorization")).toBe("<redacted>")
      expect(JSON.stringify(yield* Emulator.requests)).not.toContain(secret)
    }).pipe(
      Effect.provide(MakeTest.layer()),
      Effect.provideService(HttpClient.TracerHeaderFilter, () => true),
      Effect.provide(record(recorded))
    )
  })

  it.effect("a refused token is in no error or log either", () => {
    const recorded: Recorded = { spans: [], lines: [] }
    return Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.get(11))
      yield* Effect.logError(error)
      expect(error._tag).toBe("Unauthorized")
      for (const printed of [...printedForms(error), ...recorded.lines]) expect(printed).not.toContain(wrongSecret)
      for (const span of recorded.spans) expect(spanText(span)).not.toContain(wrongSecret)
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
      // each log call is recorded in each of the recorder's forms (logfmt, JSON, cause)
      expect(recorded.lines).toHaveLength(6)
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
        yield* Effect.result(orgs.list({ zone: "evil.example.com", externalId: "//evil.example.com" }))
        yield* Effect.result(variables.history(11, "a/../../x"))
        yield* Effect.result(variables.update(11, "$_x", { typeId: 1, value: 1 }))
        yield* Effect.result(orgs.checkTeamPermission(11, "a/../../x"))
        yield* Effect.result(orgs.get(11, { cols: ["zone"] }))
        yield* Effect.result(orgs.checkTeamPermission(11, "scenario add"))
      }).pipe(
        Effect.provide(
          MakeApi.layer({ token: Redacted.make(secret), zone: "eu1.make.com", retry: "off" }).pipe(
            Layer.orDie,
            Layer.provide(recordingClient)
          )
        )
      )
      const sent = yield* Ref.get(urls)
      // the variable name and the permission `a/../../x` are refused before sending; the others go to Make, and only
      // there (the variable update's 404 makes the client read the organization's licence). The Effect 4 line
      // percent-encodes `$` in a path segment (Effect 3 sent it as is): the same name once decoded.
      expect(sent.map((url) => {
        const { origin, pathname } = new URL(url)
        return `${origin}${pathname}`
      })).toEqual([
        "https://eu1.make.com/api/v2/organizations",
        "https://eu1.make.com/api/v2/organizations/11/variables/%24_x",
        "https://eu1.make.com/api/v2/organizations/11",
        "https://eu1.make.com/api/v2/organizations/11",
        "https://eu1.make.com/api/v2/organizations/11/check-team-permission"
      ])
      expect(sent.some((url) => url.includes(".."))).toBe(false)
    }))

  it.effect("a redirect to another origin is followed without the token; one back to Make carries it again", () =>
    Effect.gen(function*() {
      const sent = yield* Ref.make<ReadonlyArray<readonly [string, string | undefined]>>([])
      const redirecting = Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request, url) =>
          Effect.gen(function*() {
            const before = yield* Ref.getAndUpdate(
              sent,
              (all): ReadonlyArray<readonly [string, string | undefined]> => [
                ...all,
                [url.toString(), request.headers["authorization"]]
              ]
            )
            // an empty body, as fetch gives one (a `Response` made with `null` has no body to stream at all)
            const redirect = (location: string) => new Response("", { status: 307, headers: { location } })
            // Make sends the first request away; the other origin sends it back to Make, which answers
            return HttpClientResponse.fromWeb(
              request,
              before.length === 0
                ? redirect("https://evil.example.com/steal")
                : before.length === 1
                ? redirect("https://eu1.make.com/api/v2/organizations/11")
                : new Response(JSON.stringify({ organization: { id: 11, name: "Acme" } }), {
                  status: 200,
                  headers: { "content-type": "application/json" }
                })
            )
          })
        )
      )
      const org = yield* Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        return yield* orgs.get(11)
      }).pipe(
        Effect.provide(
          MakeApi.layer({ token: Redacted.make(secret), zone: "eu1.make.com", retry: "off", followRedirects: true })
            .pipe(Layer.orDie, Layer.provide(redirecting))
        )
      )
      expect(org).toMatchObject({ id: 11, name: "Acme" })
      expect(yield* Ref.get(sent)).toEqual([
        ["https://eu1.make.com/api/v2/organizations/11", `Token ${secret}`],
        ["https://evil.example.com/steal", undefined],
        ["https://eu1.make.com/api/v2/organizations/11", `Token ${secret}`]
      ])
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
