// The workflows' errors on the command line: exit code 1 and the hint of Effect 3's table (effect3/src/cli/ExitCode.ts),
// with --json one object on stderr; a Make error inside a failed run is not mistaken for the run's own failure.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect } from "effect"
import * as ExitCode from "../../src/cli/ExitCode.js"
import * as Output from "../../src/cli/Output.js"
import { NotFound } from "../../src/MakeError.js"
import { DecommissionFailed } from "../../src/workflows/Decommission.js"
import { Conflict, ProvisionFailed } from "../../src/workflows/ProvisionResult.js"

const conflict = new Conflict({ resource: "team", detail: "two teams are named Ops" })

/** Reports `error` as the command does; answers the exit code and what stderr got. */
const reported = (error: unknown, json: boolean) =>
  Effect.gen(function*() {
    const output = Output.makeMemory()
    const code = yield* ExitCode.report(Cause.fail(error), { json, verbose: false }).pipe(Effect.provide(output.layer))
    return { code, stderr: output.stderr() }
  })

describe("exit codes of the workflow errors", () => {
  it.effect("ProvisionFailed, DecommissionFailed and Conflict exit 1 with Effect 3's hints", () =>
    Effect.gen(function*() {
      const provisionFailed = new ProvisionFailed({
        executionId: "e-1",
        step: "teams",
        organizationId: 41,
        error: conflict,
        rolledBack: [{ resource: "organization", key: "Acme", id: 41, outcome: "deleted" }],
        applied: []
      })
      const decommissionFailed = new DecommissionFailed({
        organizationId: 41,
        error: new NotFound({ status: 404, detail: "Organization not found", resource: "organization", id: 41 }),
        removed: []
      })
      const cases = [
        [provisionFailed, "ProvisionFailed", "Fix the cause and run the same spec again: it resumes."],
        [decommissionFailed, "DecommissionFailed", "Fix the cause and run decommission again."],
        [conflict, "Conflict", "Resolve the conflict in Make, or change the spec."]
      ] as const
      for (const [error, tag, hint] of cases) {
        expect(ExitCode.of(error)).toBe(1)
        const plain = yield* reported(error, false)
        expect(plain).toEqual({ code: 1, stderr: `${tag}: ${error.message}\n  → ${hint}\n` })
        const json = yield* reported(error, true)
        expect(json.code).toBe(1)
        expect(JSON.parse(json.stderr)).toEqual({ error: tag, message: error.message, hint })
      }
    }))
})
