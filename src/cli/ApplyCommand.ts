// The `apply` command: a fleet of spec files and folders converged, one line per spec and a summary (the FleetResult
// as JSON with --json), exit 1 when a spec failed. Floor "the command": effect, workflows/, cli/.
/**
 * The `apply <PATH...> [--concurrency N] [--keep-partial]` command of `effect-make`: `Fleet.provisionAll` over the
 * specs of files and folders, on the in-memory engine (`Workflows.layerMemory`).
 *
 * @since 1.0.0
 */
import { Effect, Option, Schema } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Fleet from "../workflows/Fleet.js"
import * as FleetResult from "../workflows/FleetResult.js"
import * as Workflows from "../workflows/Workflows.js"
import * as Global from "./Global.js"
import * as Output from "./Output.js"

/**
 * Some specs of the fleet failed; the report (stdout) says which and why. The command exits 1 (`ExitCode.failed`)
 * once the report is printed.
 *
 * @since 1.0.0
 * @category errors
 */
export class FleetFailed extends Schema.TaggedError<FleetFailed>()("FleetFailed", {
  failed: Schema.Int,
  specs: Schema.Int
}) {
  override get message(): string {
    return `${this.failed} of ${this.specs} specs failed (see their lines in the report)`
  }
}

/** What a line's run changed, the kinds with a count only (`unchanged 8`), or `no change`. */
const changesOf = (counts: FleetResult.Counts): string => {
  const kinds = ["created", "updated", "unchanged", "skipped", "unconfirmed"] as const
  const said = kinds.filter((kind) => counts[kind] > 0).map((kind) => `${kind} ${counts[kind]}`)
  return said.length === 0 ? "no change" : said.join(", ")
}

/**
 * The report as table rows, one per spec in the fleet's order: its source, organization (and id when known), outcome,
 * and what changed, or the error's tag and message.
 *
 * @example
 * ```ts
 * import * as ApplyCommand from "effect-make/cli/ApplyCommand"
 * import { FleetResult } from "effect-make"
 *
 * ApplyCommand.rows(FleetResult.make([])) // []
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const rows = (result: FleetResult.FleetResult) =>
  result.lines.map((line) => ({
    source: line.source,
    organization: line.organization,
    id: line.organizationId,
    outcome: line.outcome,
    detail: line.error === undefined ? changesOf(line.counts) : `${line.error.tag}: ${line.error.message}`
  }))

/**
 * The summary line: `20 specs: 18 applied, 1 unchanged, 1 failed (created 140, updated 20)`.
 *
 * @example
 * ```ts
 * import * as ApplyCommand from "effect-make/cli/ApplyCommand"
 * import { FleetResult } from "effect-make"
 *
 * ApplyCommand.summaryLine(FleetResult.make([]).summary) // "0 specs: 0 applied, 0 unchanged, 0 failed (no change)"
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const summaryLine = (summary: FleetResult.Summary): string =>
  `${summary.specs} spec${summary.specs === 1 ? "" : "s"}: ${summary.applied} applied, ${summary.unchanged} ` +
  `unchanged, ${summary.failed} failed (${changesOf(summary.counts)})`

/** Prints the report: the FleetResult's JSON encoding with `--json`, else the table and the summary line. */
const print = (result: FleetResult.FleetResult, json: boolean) =>
  Effect.gen(function*() {
    const output = yield* Effect.service(Output.Output)
    if (json) {
      const encoded = yield* Effect.orDie(Schema.encodeEffect(FleetResult.FleetResult)(result))
      return yield* output.stdout(Output.toJson(encoded))
    }
    yield* output.stdout(Output.human(rows(result), output.colour))
    yield* output.stdout(summaryLine(result.summary))
  })

/**
 * `effect-make apply PATH...`: every spec of the files and folders (see `Fleet.load`) checked before any request,
 * then each provisioned, `--concurrency` at once. Prints one line per spec and the summary, or the `FleetResult` as
 * JSON with `--json`. Exits 0 when every spec applied or was unchanged, 1 when any failed (after the full report: the
 * others were applied), 2 when the fleet was refused before any request (a spec invalid, an organization named twice).
 *
 * @example
 * ```ts
 * import * as ApplyCommand from "effect-make/cli/ApplyCommand"
 *
 * const name = ApplyCommand.apply.name // "apply"
 * ```
 *
 * @since 1.0.0
 * @category commands
 */
export const apply = Command.make(
  "apply",
  {
    paths: Argument.Path("PATH", { mustExist: true }).pipe(
      Argument.withDescription(
        "Spec files (.yaml, .yml, .json; a YAML file may hold several specs separated by ---) or folders of them"
      ),
      Argument.variadic({ min: 1 })
    ),
    concurrency: Flag.Int("concurrency").pipe(
      Flag.withDescription(`How many specs are applied at once, 1 to 64 (default ${Fleet.defaultConcurrency})`),
      Flag.optional
    ),
    keepPartial: Flag.Boolean("keep-partial").pipe(
      Flag.withDescription("When a spec fails, keep what its run created instead of rolling it back"),
      Flag.withDefault(false)
    )
  },
  ({ concurrency, keepPartial, paths }) =>
    Effect.flatMap(Global.root, (globals) =>
      Global.run(
        Effect.provide(
          Effect.gen(function*() {
            const fleet = yield* Fleet.load(paths)
            const result = yield* Fleet.provisionAll(fleet, {
              concurrency: Option.getOrUndefined(concurrency),
              provision: keepPartial ? { onFailure: "keep" } : undefined
            })
            yield* print(result, globals.json)
            if (result.summary.failed > 0) {
              return yield* new FleetFailed({ failed: result.summary.failed, specs: result.summary.specs })
            }
          }),
          Workflows.layerMemory
        ),
        { print: false }
      ))
).pipe(
  Command.withDescription("Create or update every organization of a folder (or files) of specs; re-applying is safe")
)
