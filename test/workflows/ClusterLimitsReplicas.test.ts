// Three replicas of an app (each its own workflow engine and workflows layer) provisioning into one Core organization
// (apiLimit 60) at once, against one emulator counting a sliding minute: with each process's own windows Make answers
// 429s; with the cluster's (ClusterLimits over effect/cluster's TestRunner) none. TestClock; asserts on the request log.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit, Layer } from "effect"
import { TestRunner } from "effect/cluster"
import { WebCrypto } from "effect/crypto"
import { WorkflowEngine } from "effect/workflow"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import * as ClusterLimits from "../../src/workflows/ClusterLimits.js"
import * as Limits from "../../src/workflows/internal/limits.js"
import * as Provision from "../../src/workflows/Provision.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import * as Workflows from "../../src/workflows/Workflows.js"
import { mostInAnyWindow } from "../windows.js"
import { concerns, countedCrypto, runTimeout, settle } from "./helpers.js"

const minute = 60_000

/** `teams` new teams named `prefix 1`, ... in Gamma (seeded with a Core licence: 60 requests a minute, id 13). */
const gammaSpec = (prefix: string, teams: number): ProvisionSpec => ({
  organization: { name: "Gamma", regionId: 1, timezoneId: 113, countryId: 1 },
  teams: Array.from({ length: teams }, (_, i) => ({ name: `${prefix} ${i + 1}` })),
  variables: [],
  invitations: [],
  featureControls: []
})

/** What the replicas share: Make (one emulator counting a sliding minute), the cluster, and the cluster's slots. */
const shared = MakeTest.layer({ syncDelay: "2 seconds", rateLimit: true }).pipe(
  Layer.provideMerge(WebCrypto.layer(countedCrypto)),
  Layer.provideMerge(TestRunner.layer),
  Layer.provideMerge(ClusterLimits.slotsMemory)
)

type Shared = Layer.Success<typeof shared>

/**
 * Three replicas provisioning 40 teams each into Gamma at once, each with its own engine and its own workflows layer
 * over `limits` (built apart: as in a process of its own); the emulator's figures.
 */
const threeReplicas = <E>(limits: Layer.Layer<Limits.OrganizationLimits, E, Shared>) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(shared)
    const replica = Workflows.layerWith({ limits }).pipe(
      Layer.provideMerge(WorkflowEngine.layerMemory),
      Layer.provide(Layer.succeedContext(context)),
      Layer.fresh
    )
    const engines = yield* Effect.forEach(["North", "South", "East"], (prefix) =>
      Effect.map(Layer.build(replica), (built) => ({ prefix, built })))
    const exit = yield* settle(
      Effect.zip(
        Effect.forEach(
          engines,
          ({ built, prefix }) =>
            Effect.exit(Effect.provideContext(Provision.provision(gammaSpec(prefix, 40)), built)),
          { concurrency: "unbounded" }
        ),
        Clock.currentTimeMillis
      )
    )
    if (Exit.isFailure(exit)) return yield* Effect.die(exit.cause)
    const [results, done] = exit.value
    const log = yield* Effect.provideContext(
      Effect.flatMap(Emulator.Emulator, (emulator) => emulator.requests),
      context
    )
    const sent = log.filter(concerns(13)).map((request) => request.at).sort((a, b) => a - b)
    return {
      succeeded: results.filter(Exit.isSuccess).length,
      requests: log.length,
      answered429: log.filter((request) => request.status === 429).length,
      /** Of the requests Make counts against Gamma. */
      mostInAnyMinute: mostInAnyWindow(sent, minute),
      virtualSeconds: done / 1000
    }
  })

describe("three replicas provisioning into one 60-a-minute organization", { timeout: runTimeout }, () => {
  it.effect("each with its own windows: Make answers 429s (the limit is kept per process)", () =>
    Effect.gen(function*() {
      const figures = yield* threeReplicas(Layer.fresh(Limits.layer))
      console.log("three replicas, windows per process:", JSON.stringify(figures))
      expect(figures.answered429).toBeGreaterThan(0)
      expect(figures.mostInAnyMinute).toBeGreaterThan(60)
    }))

  it.effect("with the cluster's windows: 0 responses 429, never more than 60 in any minute", () =>
    Effect.gen(function*() {
      const figures = yield* threeReplicas(ClusterLimits.layer())
      console.log("three replicas, the cluster's windows:", JSON.stringify(figures))
      expect(figures.succeeded).toBe(3)
      expect(figures.answered429).toBe(0)
      expect(figures.mostInAnyMinute).toBeLessThanOrEqual(60)
      // 3 × 40 teams and the reads around them: at 60 a minute, at least two minutes
      expect(figures.requests).toBeGreaterThan(120)
      expect(figures.virtualSeconds).toBeGreaterThanOrEqual(120)
    }))
})
