// The Make toolkit handed to a LanguageModel, as an Effect app does: the provider is offered every tool with its JSON
// Schema, the calls it asks for run the services over the emulator (the layers swapped as anywhere else), a
// destructive call it did not confirm is refused before any request, and each result is what the model reads next.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref, Stream } from "effect"
import { LanguageModel, type Tool } from "effect/ai"
import * as MakeToolkit from "../../src/ai/MakeToolkit.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"

/** A provider that asks for `calls`, once, and records the tools it was offered. */
const scripted = (calls: ReadonlyArray<readonly [string, unknown]>, offered: Ref.Ref<ReadonlyArray<Tool.Any>>) =>
  Layer.effect(LanguageModel.LanguageModel)(LanguageModel.make({
    generateText: (options) =>
      Effect.as(
        Ref.set(offered, options.tools),
        calls.map(([name, params], index) => ({ type: "tool-call" as const, id: `call-${index}`, name, params }))
      ),
    streamText: () => Stream.empty
  }))

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

describe("the Make toolkit with a LanguageModel", () => {
  it.effect("the model is offered every tool; its calls run on the emulator; an unconfirmed delete sends nothing", () =>
    Effect.gen(function*() {
      const offered = yield* Ref.make<ReadonlyArray<Tool.Any>>([])
      const response = yield* LanguageModel.generateText({
        prompt: "Show me Acme, then delete Beta Labs.",
        toolkit: MakeToolkit.toolkit
      }).pipe(
        Effect.provide(scripted([
          ["organizations_get", { id: 11 }],
          ["organizations_delete", { id: 12 }],
          ["admin_teams_list", { organizationId: 11 }]
        ], offered))
      )
      expect((yield* Ref.get(offered)).map((tool) => tool.name)).toEqual(Object.keys(MakeToolkit.toolkit.tools))
      // the calls run concurrently: their results come in the order they finish
      const results = response.toolResults.map((part) => ({
        name: part.name,
        isFailure: part.isFailure,
        encoded: part.encodedResult
      })).sort((a, b) => a.name.localeCompare(b.name))
      expect(results).toMatchObject([
        { name: "admin_teams_list", isFailure: false },
        { name: "organizations_delete", isFailure: true, encoded: { _tag: "NotConfirmed" } },
        { name: "organizations_get", isFailure: false, encoded: { id: 11, name: "Acme" } }
      ])
      const teams = results[0]?.encoded
      expect(isRecord(teams) && Array.isArray(teams["items"]) ? teams["items"].length : 0).toBeGreaterThan(0)
      expect((yield* Emulator.requests).map((request) => request.method)).toEqual(["GET", "GET"])
    }).pipe(Effect.provide(MakeToolkit.layer), Effect.provide(MakeTest.layer())))
})
