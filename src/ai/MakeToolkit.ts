/**
 * The Make toolkit: one agent tool per contract endpoint (see `MakeTools`), as an `effect/ai` `Toolkit`, and the
 * layer of its handlers over the client. Hand the toolkit to a `LanguageModel` (or serve it over MCP) and provide
 * the handlers with the client of your choice: `NodeMakeApi` against Make, `MakeTest` against the emulator.
 *
 * @since 1.0.0
 */
// Floor "the agent tools": imports the services, the client floor, ai/ and `effect`; never testing/ or node/.
import { Effect, Layer } from "effect"
import { Toolkit } from "effect/ai"
import type * as Tool from "effect/ai/Tool"
import { MakeClient } from "../MakeClient.js"
import type * as MakeError from "../MakeError.js"
import * as MakeTools from "./MakeTools.js"

/**
 * The tools of a Make toolkit, by name.
 *
 * @since 1.0.0
 * @category models
 */
export type Tools = Readonly<Record<string, MakeTools.EndpointTool>>

/**
 * A toolkit of Make tools: every endpoint's, or the ones a filter kept.
 *
 * @since 1.0.0
 * @category models
 */
export type MakeToolkit = Toolkit.Toolkit<Tools>

/**
 * A toolkit of the tools `keep` accepts (all by default): e.g. the read-only ones for an agent that must not write.
 *
 * @example
 * ```ts
 * import { MakeToolkit } from "effect-make/ai"
 *
 * const readOnly = MakeToolkit.make((d) => d.hints.readOnly)
 * Object.keys(readOnly.tools) // ["organizations_list", "organizations_get", ...]
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (keep: (derived: MakeTools.Derived) => boolean = () => true): MakeToolkit =>
  Toolkit.make(...MakeTools.derived.filter(keep).map((d) => d.tool))

/**
 * Every endpoint's tool.
 *
 * @example
 * ```ts
 * import { MakeToolkit } from "effect-make/ai"
 *
 * Object.keys(MakeToolkit.toolkit.tools).length // 30
 * ```
 *
 * @since 1.0.0
 * @category toolkits
 */
export const toolkit: MakeToolkit = make()

/**
 * The handlers of a toolkit's tools over the client: each runs its service's method (see `MakeTools.handler`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MakeToolkit } from "effect-make/ai"
 * import { MakeTest } from "effect-make/testing"
 *
 * const listed = Effect.gen(function*() {
 *   const handlers = yield* MakeToolkit.toolkit
 *   return yield* handlers.handle("organizations_list", {})
 * }).pipe(Effect.provide(MakeToolkit.layerFor(MakeToolkit.toolkit)), Effect.provide(MakeTest.layer()))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerFor = (kit: MakeToolkit): Layer.Layer<Tool.HandlersFor<Tools>, never, MakeClient> =>
  kit.toLayer(Effect.map(Effect.service(MakeClient), (client) => {
    const handlers: Record<string, (parameters: unknown) => Effect.Effect<unknown, MakeError.MakeError>> = {}
    for (const d of MakeTools.derived) {
      if (d.tool.name in kit.tools) handlers[d.tool.name] = MakeTools.handler(d, client)
    }
    return handlers
  }))

/**
 * The handlers of {@link toolkit}, over the client.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { MakeToolkit } from "effect-make/ai"
 * import { NodeMakeApi } from "effect-make/node"
 *
 * const handlers = MakeToolkit.layer.pipe(Layer.provide(NodeMakeApi.layerConfig()))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<Tool.HandlersFor<Tools>, never, MakeClient> = layerFor(toolkit)
