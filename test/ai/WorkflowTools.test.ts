// The workflow tools (effect-make/ai): `plan` reads only and answers what Plan.plan answers; `provision` and
// `decommission` are refused with NotConfirmed before any request unless confirmed, and run when confirmed.
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, type Schema, Stream } from "effect"
import { Tool } from "effect/ai"
import * as WorkflowTools from "../../src/ai/WorkflowTools.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as Plan from "../../src/workflows/Plan.js"
import * as ProvisionSpec from "../../src/workflows/ProvisionSpec.js"
import { acmeSpec, layer, runTimeout, settle, succeed } from "../workflows/helpers.js"

const handlers = () => Layer.provideMerge(WorkflowTools.layer, layer())

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

const field = (u: unknown, key: string): unknown => isRecord(u) ? u[key] : undefined

const call = (name: "plan" | "provision" | "decommission", parameters: Schema.Json) =>
  Effect.gen(function*() {
    const toolkit = yield* WorkflowTools.toolkit
    const stream = yield* toolkit.handle(name, parameters)
    const last = yield* Stream.runLast(stream)
    if (last._tag === "None") return yield* Effect.die(`${name} answered nothing`)
    return last.value
  })

describe("WorkflowTools", { timeout: runTimeout }, () => {
  it("plan reads only; provision and decommission are destructive and take confirmed", () => {
    const { decommission, plan, provision } = WorkflowTools.toolkit.tools
    expect(Context.get(plan.annotations, Tool.Readonly)).toBe(true)
    expect(Context.get(plan.annotations, Tool.Destructive)).toBe(false)
    for (const tool of [provision, decommission]) {
      expect(Context.get(tool.annotations, Tool.Destructive)).toBe(true)
      const schema = Tool.getJsonSchema(tool)
      expect(schema["type"]).toBe("object")
      expect(isRecord(schema["properties"]) && "confirmed" in schema["properties"]).toBe(true)
    }
    expect(Tool.getJsonSchema(plan)["type"]).toBe("object")
  })

  it.effect("plan answers Plan.plan's plan in JSON form and writes nothing", () =>
    Effect.gen(function*() {
      const spec = acmeSpec("Sigma", 2)
      const encoded = yield* ProvisionSpec.encode(spec)
      const expected = succeed(yield* settle(Plan.plan(spec)))
      const answer = yield* call("plan", { spec: JSON.parse(JSON.stringify(encoded)) })
      expect(answer.isFailure).toBe(false)
      expect(answer.result).toEqual(JSON.parse(JSON.stringify(expected)))
      expect((yield* Emulator.requests).filter((request) => request.method !== "GET")).toEqual([])
    }).pipe(Effect.provide(handlers())))

  it.effect("provision and decommission without confirmed: NotConfirmed, and no request at all", () =>
    Effect.gen(function*() {
      const spec = JSON.parse(JSON.stringify(yield* ProvisionSpec.encode(acmeSpec("Tau", 1))))
      const before = (yield* Emulator.requests).length
      const answers = [
        yield* call("provision", { spec }),
        yield* call("provision", { spec, confirmed: false }),
        yield* call("decommission", { organizationId: 11 }),
        yield* call("decommission", { spec })
      ]
      expect(answers.map((answer) => [answer.isFailure, field(answer.result, "_tag")]))
        .toEqual(Array.from({ length: 4 }, () => [true, "NotConfirmed"]))
      const neither = yield* call("decommission", { confirmed: true })
      expect(field(neither.result, "_tag")).toBe("InvalidInput")
      expect((yield* Emulator.requests).length).toBe(before)
    }).pipe(Effect.provide(handlers())))

  it.effect("provision runs a spec the same session planned first, without confirmed; another spec is refused", () =>
    Effect.gen(function*() {
      const encoded: Record<string, Schema.Json> = JSON.parse(
        JSON.stringify(yield* ProvisionSpec.encode(acmeSpec("Phi", 1)))
      )
      const other = JSON.parse(JSON.stringify(yield* ProvisionSpec.encode(acmeSpec("Chi", 1))))
      const planned = yield* call("plan", { spec: encoded })
      expect(planned.isFailure).toBe(false)
      const refused = yield* call("provision", { spec: other })
      expect(field(refused.result, "_tag")).toBe("NotConfirmed")
      // the same spec, its keys in another order
      const reordered = Object.fromEntries(Object.entries(encoded).reverse())
      const provisioned = succeed(yield* settle(call("provision", { spec: reordered })))
      expect(provisioned.isFailure).toBe(false)
      expect(field(field(provisioned.result, "organization"), "status")).toBe("created")
    }).pipe(Effect.provide(handlers())))

  it.effect("provision with confirmed: true creates the organization; decommission with confirmed removes it", () =>
    Effect.gen(function*() {
      const spec = JSON.parse(JSON.stringify(yield* ProvisionSpec.encode(acmeSpec("Upsilon", 1))))
      const provisioned = succeed(yield* settle(call("provision", { spec, confirmed: true })))
      expect(provisioned.isFailure).toBe(false)
      expect(field(field(provisioned.result, "organization"), "status")).toBe("created")
      const removed = succeed(yield* settle(call("decommission", { spec, confirmed: true })))
      expect(removed.isFailure).toBe(false)
      const writes = (yield* Emulator.requests).filter((request) => request.method === "DELETE")
      expect(writes.at(-1)?.query).toEqual({ confirmed: "true" })
    }).pipe(Effect.provide(handlers())))
})
