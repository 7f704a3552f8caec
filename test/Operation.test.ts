// Operations over the contract: each endpoint of a service's group has exactly one method and each method one
// endpoint; a method's error channel is what its endpoint declares (compile-checked, and at run time an undeclared
// error is an UnexpectedResponse); each call is a span `Make.<Service>.<method>` with the route; the label of a
// refused input names the method.
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { HttpClient } from "effect/http"
import { endpoints } from "../src/internal/endpoints.js"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeClient from "../src/MakeClient.js"
import type * as MakeError from "../src/MakeError.js"
import type * as Operation from "../src/Operation.js"
import * as Organizations from "../src/Organizations.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import { answering, recorder, type RecordingSpan } from "./support/limits.js"

/** Every service's table, by the name it binds it under. */
const tables = MakeApi.methods

describe("Operation", () => {
  it("every contract endpoint has exactly one service method, and every method one endpoint", () => {
    const covered = Object.values(tables).flatMap((table) => Object.values(table)).map((op) =>
      `${op.group}.${op.endpoint}`
    )
    expect([...covered].sort()).toEqual([...endpoints.keys()].sort())
    expect(new Set(covered).size).toBe(covered.length)
    expect(covered).toHaveLength(30)
    expect(endpoints.size).toBe(30)
  })

  it("the error channel is what the endpoint declares", () => {
    expectTypeOf<Operation.Declared<"organizations", "list">>().toEqualTypeOf<never>()
    expectTypeOf<Operation.Declared<"organizations", "get">>().toEqualTypeOf<MakeError.NotFound>()
    expectTypeOf<Operation.Declared<"organizations", "delete">>().toEqualTypeOf<
      MakeError.NotFound | MakeError.NotConfirmed
    >()
    expectTypeOf<Operation.Declared<"organizationVariables", "history">>().toEqualTypeOf<
      MakeError.NotFound | MakeError.FeatureUnavailable
    >()
    expectTypeOf<Operation.Declared<"organizationVariables", "list">>().toEqualTypeOf<MakeError.NotFound>()
    expectTypeOf<Operation.Declared<"billing", "setFreePlan">>().toEqualTypeOf<
      MakeError.NotFound | MakeError.NotConfirmed
    >()
    // and the methods' types say so
    expectTypeOf<Effect.Error<ReturnType<Organizations.Service["list"]>>>().toEqualTypeOf<MakeError.Common>()
    expectTypeOf<Effect.Error<ReturnType<Organizations.Service["delete"]>>>().toEqualTypeOf<
      MakeError.Common | MakeError.NotFound | MakeError.NotConfirmed
    >()
  })

  // On Effect 3: MakeClient.test.ts, a 404 from Organizations.list is an UnexpectedResponse.
  it.effect("an error the endpoint does not declare is UnexpectedResponse: a 404 from list, a 406 from get", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const fromList = yield* Effect.flip(orgs.list())
      expect(fromList).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 404,
        reason: "Organizations.list does not expect NotFound"
      })
      const fromGet = yield* Effect.flip(orgs.get(11))
      expect(fromGet).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 406,
        reason: "Organizations.get does not expect NotConfirmed"
      })
      // a declared one stays what it is, about what the call was about
      expect(yield* Effect.flip(orgs.delete(11))).toMatchObject({
        _tag: "NotConfirmed",
        resource: "organization",
        id: 11
      })
    }).pipe(
      Effect.provide(
        MakeApi.layer({ token: Redacted.make("6f1d3c52-8a9e-4c1b-9d2e-3f4a5b6c7d8e"), zone: "eu1.make.com" }).pipe(
          Layer.orDie,
          Layer.provide(Layer.succeed(
            HttpClient.HttpClient,
            answering((request) => ({
              status: request.method === "GET" && request.url.endsWith("/organizations") ? 404 : 406,
              body: JSON.stringify({ detail: "no", code: "IM000" })
            }))
          ))
        )
      )
    ))

  // On Effect 3: each method is named after its service and its key in the table.
  it.effect("each call is a span Make.<Service>.<method> with its route and HTTP method, valid or not", () => {
    const spans: Array<RecordingSpan> = []
    return Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      yield* Effect.result(orgs.get(11))
      yield* Effect.result(orgs.update(11, { name: "Acme EU" }))
      yield* Effect.result(orgs.checkTeamPermission(11, "NOT A PERMISSION"))
      const ours = spans.filter((span) => span.name.startsWith("Make."))
      expect(
        ours.map((
          span
        ) => [span.name, span.kind, span.attributes.get("make.route"), span.attributes.get("http.request.method")])
      )
        .toEqual([
          ["Make.Organizations.get", "client", "GET /organizations/{organizationId}", "GET"],
          ["Make.Organizations.update", "client", "PATCH /organizations/{organizationId}", "PATCH"],
          [
            "Make.Organizations.checkTeamPermission",
            "client",
            "GET /organizations/{organizationId}/check-team-permission",
            "GET"
          ]
        ])
    }).pipe(
      Effect.provide(MakeTest.layer()),
      Effect.provide(recorder({ span: (span) => spans.push(span), line: () => undefined }))
    )
  })

  it.effect("a refused input is InvalidInput labelled <Service>.<method>, before any request", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect(yield* Effect.flip(orgs.get(0))).toMatchObject({ _tag: "InvalidInput", operation: "Organizations.get" })
      expect(yield* Effect.flip(orgs.checkTeamPermission(11, "NOT A PERMISSION"))).toMatchObject({
        _tag: "InvalidInput",
        operation: "Organizations.checkTeamPermission"
      })
      // the label is the service and the key in the table, for every method of every service (Effect 3: "each method
      // is named after its service and its key in the table")
      const client = yield* MakeClient.MakeClient
      for (const [service, table] of Object.entries(tables)) {
        for (const [key, op] of Object.entries(table)) {
          const error = yield* Effect.flip(op.make(client, service, key).unknown(Symbol("not an input")))
          expect(error).toMatchObject({ _tag: "InvalidInput", operation: `${service}.${key}` })
        }
      }
    }).pipe(Effect.provide(MakeTest.layer())))
})
