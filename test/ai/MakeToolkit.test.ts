// The Make toolkit (effect-make/ai): one tool per contract endpoint, each annotated, with an object JSON Schema for
// its parameters; read tools answer what the services answer; destructive tools are refused without `confirmed`.
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted, type Schema, Stream } from "effect"
import { Tool } from "effect/ai"
import { HttpApi } from "effect/http-api"
import * as AdminTeams from "../../src/AdminTeams.js"
import * as MakeToolkit from "../../src/ai/MakeToolkit.js"
import * as MakeTools from "../../src/ai/MakeTools.js"
import * as ToolNaming from "../../src/ai/ToolNaming.js"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as Billing from "../../src/Billing.js"
import * as FeatureControls from "../../src/FeatureControls.js"
import * as Invitations from "../../src/Invitations.js"
import * as MakeApi from "../../src/MakeApi.js"
import * as Organizations from "../../src/Organizations.js"
import * as OrganizationVariables from "../../src/OrganizationVariables.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import * as Usage from "../../src/Usage.js"

/** Every endpoint of the contract, as `group.endpoint`, read as test/Readme.test.ts reads them. */
const contractEndpoints = (): ReadonlyArray<string> => {
  const endpoints: Array<string> = []
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group }) => endpoints.push(`${group.identifier}.${endpoint.identifier}`)
  })
  return endpoints
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/** Every `$ref` of a JSON Schema, anywhere in it. */
const refsOf = (u: unknown): ReadonlyArray<string> =>
  Array.isArray(u)
    ? u.flatMap(refsOf)
    : isRecord(u)
    ? Object.entries(u).flatMap(([key, value]) => key === "$ref" && typeof value === "string" ? [value] : refsOf(value))
    : []

const handlers = Layer.provideMerge(MakeToolkit.layer, MakeTest.layer())

/** One tool call through the toolkit, as a model makes it (JSON parameters): its final result. */
const call = (name: string, parameters: Schema.Json) =>
  Effect.gen(function*() {
    const toolkit = yield* MakeToolkit.toolkit
    const stream = yield* toolkit.handle(name, parameters)
    const last = yield* Stream.runLast(stream)
    if (last._tag === "None") return yield* Effect.die(`${name} answered nothing`)
    return last.value
  })

const tagOf = (u: unknown): unknown => isRecord(u) ? u["_tag"] : undefined

describe("MakeToolkit", () => {
  it("every endpoint of the contract has exactly one tool, named <group>_<endpoint>", () => {
    const endpoints = contractEndpoints()
    expect(endpoints).toHaveLength(30)
    const names = Object.keys(MakeToolkit.toolkit.tools)
    expect(names).toHaveLength(30)
    expect([...names].sort()).toEqual(
      endpoints.map((e) => ToolNaming.toolName(e.split(".")[0] ?? "", e.split(".")[1] ?? "")).sort()
    )
    expect(MakeTools.derived.map((d) => `${d.facts.group}.${d.facts.endpoint}`).sort()).toEqual([...endpoints].sort())
    expect(names).toContain("organization_variables_delete")
    expect(names.every((name) => /^[a-z0-9_]{1,64}$/.test(name))).toBe(true)
  })

  it("every tool's parameters are an object JSON Schema whose refs and required keys resolve", () => {
    for (const tool of MakeTools.tools) {
      const schema = Tool.getJsonSchema(tool)
      expect(schema["type"], tool.name).toBe("object")
      const properties = isRecord(schema["properties"]) ? schema["properties"] : {}
      const required = Array.isArray(schema["required"]) ? schema["required"] : []
      expect(required.every((key) => typeof key === "string" && key in properties), tool.name).toBe(true)
      const defs = isRecord(schema["$defs"]) ? schema["$defs"] : {}
      for (const ref of refsOf(schema)) {
        expect(ref.startsWith("#/$defs/") && ref.slice("#/$defs/".length) in defs, `${tool.name} ${ref}`).toBe(true)
      }
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
    }
  })

  it("every tool carries a title, a description and its hints: GET reads, DELETE and the listed writes destroy", () => {
    for (const d of MakeTools.derived) {
      const { annotations, name } = d.tool
      expect(Context.getOption(annotations, Tool.Title)._tag, name).toBe("Some")
      expect(Tool.getDescription(d.tool), name).toContain(d.facts.route)
      expect(Context.get(annotations, Tool.Readonly), name).toBe(d.facts.method === "GET")
      expect(Context.get(annotations, Tool.Destructive), name).toBe(
        d.facts.method === "DELETE" || ToolNaming.destructiveWrites.includes(`${d.facts.group}.${d.facts.endpoint}`)
      )
      expect(Context.get(annotations, Tool.Idempotent), name).toBe(d.facts.method !== "POST")
      const properties = Tool.getJsonSchema(d.tool)["properties"]
      expect(isRecord(properties) && "confirmed" in properties, name).toBe(d.hints.destructive)
    }
    expect(MakeTools.derived.filter((d) => d.hints.destructive).map((d) => d.tool.name).sort()).toEqual([
      "admin_teams_delete",
      "billing_apply_coupon",
      "billing_cancel_subscription",
      "billing_set_free_plan",
      "organization_variables_delete",
      "organizations_delete"
    ])
  })

  it.effect("every read tool answers what its service answers, on the emulator", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const invitations = yield* Invitations.Invitations
      const billing = yield* Billing.Billing
      const variables = yield* OrganizationVariables.OrganizationVariables
      const usage = yield* Usage.Usage
      const features = yield* FeatureControls.FeatureControls
      const teams = yield* AdminTeams.AdminTeams
      const hash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"
      const reads: Record<string, readonly [Schema.Json, Effect.Effect<unknown, unknown>]> = {
        organizations_list: [{}, orgs.list()],
        organizations_get: [{ id: 11 }, orgs.get(11)],
        organizations_apps: [{ organizationId: 11 }, orgs.apps(11)],
        organizations_check_team_permission: [
          { id: 11, teamPermission: "scenario add" },
          orgs.checkTeamPermission(11, "scenario add")
        ],
        invitations_get: [{ hash }, invitations.get(hash)],
        billing_payments: [{ organizationId: 11 }, billing.payments(11)],
        billing_get_subscription: [{ organizationId: 11 }, billing.subscription(11)],
        organization_variables_list: [{ organizationId: 11 }, variables.list(11)],
        organization_variables_history: [
          { organizationId: 11, name: "dailyLimit" },
          variables.history(11, "dailyLimit")
        ],
        usage_get: [{ organizationId: 11 }, usage.get(11)],
        feature_controls_list: [{ organizationId: 11 }, features.list(11)],
        admin_teams_list: [{ organizationId: 11 }, teams.list(11)]
      }
      expect(MakeTools.derived.filter((d) => d.hints.readOnly).map((d) => d.tool.name).sort()).toEqual(
        Object.keys(reads).sort()
      )
      for (const [name, [parameters, service]] of Object.entries(reads)) {
        const expected = yield* Effect.result(service)
        const answer = yield* call(name, parameters)
        const derived = MakeTools.derived.find((d) => d.tool.name === name)
        expect(answer.isFailure, name).toBe(expected._tag === "Failure")
        // the service's answer, an object as MCP wants it (a list or a boolean as `{ result }`), whose JSON form is
        // what a model reads: the same value, dates as ISO strings
        const value = expected._tag === "Success" ? derived?.toAnswer(expected.success) : expected.failure
        expect(answer.result, name).toEqual(value)
        expect(answer.encodedResult, name).toEqual(JSON.parse(JSON.stringify(value)))
      }
    }).pipe(Effect.provide(handlers)))

  it.effect("a destructive tool without confirmed is refused with NotConfirmed and sends nothing", () =>
    Effect.gen(function*() {
      const before = (yield* Emulator.requests).length
      for (
        const [name, parameters] of [
          ["admin_teams_delete", { teamId: 22 }],
          ["organizations_delete", { id: 12, confirmed: false }],
          ["organization_variables_delete", { organizationId: 11, name: "dailyLimit" }],
          ["billing_cancel_subscription", { organizationId: 11 }],
          ["billing_set_free_plan", { organizationId: 11 }],
          ["billing_apply_coupon", { organizationId: 11, couponCode: "WELCOME" }]
        ] as const
      ) {
        const answer = yield* call(name, parameters)
        expect(answer.isFailure, name).toBe(true)
        expect(tagOf(answer.result), name).toBe("NotConfirmed")
        expect(JSON.stringify(answer.encodedResult), name).toContain("NotConfirmed")
      }
      expect((yield* Emulator.requests).length).toBe(before)
    }).pipe(Effect.provide(handlers)))

  it.effect("with confirmed: true it goes through, and the method's own confirmed is sent to Make", () =>
    Effect.gen(function*() {
      const deleted = yield* call("admin_teams_delete", { teamId: 22, confirmed: true })
      expect(deleted.isFailure).toBe(false)
      const gone = yield* call("organization_variables_delete", {
        organizationId: 11,
        name: "dailyLimit",
        confirmed: true
      })
      expect(gone.isFailure).toBe(false)
      // organization 11 has active scenarios: Make deletes it only with its own confirmed=true, which the tool's sends
      const organization = yield* call("organizations_delete", { id: 11, confirmed: true })
      expect(organization.isFailure).toBe(false)
      const requests = yield* Emulator.requests
      expect(requests.map((request) => [`${request.method} ${request.path}`, request.query])).toEqual([
        ["DELETE /admin/teams/22", {}],
        ["DELETE /organizations/11/variables/dailyLimit", { confirmed: "true" }],
        ["DELETE /organizations/11", { confirmed: "true" }]
      ])
      const history = yield* call("organization_variables_history", { organizationId: 11, name: "dailyLimit" })
      expect(tagOf(history.result)).toBe("NotFound")
    }).pipe(Effect.provide(handlers)))

  it.effect("a missing organization is a tool failure tagged NotFound, and no result or failure holds the token", () =>
    Effect.gen(function*() {
      const token = "ai-tools-distinctive-token-0123456789"
      const answers = yield* Effect.forEach(
        [
          ["organizations_get", { id: 999 }],
          ["usage_get", { organizationId: 999 }],
          ["organizations_list", {}],
          ["organizations_get", { id: 11 }],
          ["admin_teams_list", { organizationId: 999 }]
        ] as const,
        ([name, parameters]) => call(name, parameters)
      ).pipe(Effect.provide(Layer.provideMerge(MakeToolkit.layer, MakeTest.layer({ token: Redacted.make(token) }))))
      expect(answers.map((answer) => answer.isFailure)).toEqual([true, true, false, false, true])
      expect(tagOf(answers[0]?.result)).toBe("NotFound")
      // a token the emulator refuses: the failure says Unauthorized, never the token
      const refused = yield* call("organizations_list", {}).pipe(
        Effect.provide(
          Layer.provideMerge(
            MakeToolkit.layer,
            MakeApi.layer({ token: Redacted.make(token), baseUrl: Emulator.baseUrl }).pipe(
              Layer.orDie,
              Layer.provideMerge(Emulator.layerTest())
            )
          )
        )
      )
      expect([refused.isFailure, tagOf(refused.result)]).toEqual([true, "Unauthorized"])
      const printed = [...answers, refused].map((answer) =>
        `${JSON.stringify(answer.encodedResult)} ${String(answer.result)}`
      )
      expect(printed.join("\n")).not.toContain(token)
    }))
})
