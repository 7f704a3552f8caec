/**
 * `provisionAll(specs)`: a fleet of provisioning specs converged, each spec its own `provision` run, a few at once;
 * and the fleet read from files and folders of specs (YAML or JSON, several specs in one YAML stream).
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` (its FileSystem and Path too), `effect/workflow`, `yaml`, MakeError, workflows/.
import { Effect, FileSystem, Path, Predicate, Result, Schema } from "effect"
import type { WorkflowEngine } from "effect/workflow"
import * as Yaml from "yaml"
import * as MakeError from "../MakeError.js"
import * as FleetResult from "./FleetResult.js"
import * as Provision from "./Provision.js"
import { type Options, resolveOptions, type RunOptions } from "./ProvisionOptions.js"
import * as ProvisionSpec from "./ProvisionSpec.js"

/**
 * One spec of a fleet and what names it in the report: its file (`file#n` for the n-th spec of a YAML stream), or
 * any name you choose.
 *
 * @since 1.0.0
 * @category models
 */
export interface Member {
  readonly source: string
  readonly spec: ProvisionSpec.ProvisionSpec
}

/**
 * How a fleet is applied.
 *
 * @since 1.0.0
 * @category models
 */
export interface FleetOptions {
  /** How many specs' runs at once, 1 to 64 (default {@link defaultConcurrency}). */
  readonly concurrency?: number | undefined
  /** The options of every run, as `Provision.provision` takes them (each has its default). */
  readonly provision?: Options | undefined
}

/**
 * Four specs at once by default: each run already makes up to `ProvisionOptions.concurrency` calls at once, and the
 * calls about no organization yet (finding and creating one) share one rate-limit window of the process.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultConcurrency = 4

/** Problems with a spec's content keep the spec's operation, so that the command shows what a spec holds. */
const specOperation = "ProvisionSpec"

const Concurrency = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 64 }))

/** The issues of a problem, each prefixed with the source it is about. */
const about = (source: string, error: MakeError.InvalidInput): ReadonlyArray<string> =>
  error.issues.map((issue) => `${source}: ${issue}`)

const messageOf = (error: unknown): string => error instanceof Error ? error.message : String(error)

/**
 * Parses every spec of a YAML stream (JSON is YAML): one spec per document, empty documents (a trailing `---`)
 * ignored. A stream of one spec names it `source`; of several, `source#1`, `source#2`, ... Every problem of every
 * document in one `InvalidInput`, each prefixed with the spec's name.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Fleet } from "effect-make"
 *
 * const members = Effect.runSync(Fleet.parseAll(`
 * organization: { name: Acme, regionId: 1, timezoneId: 113, countryId: 1 }
 * ---
 * organization: { name: Beta, regionId: 1, timezoneId: 113, countryId: 1 }
 * `, "fleet.yaml"))
 * assert.deepStrictEqual(members.map((m) => m.source), ["fleet.yaml#1", "fleet.yaml#2"])
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const parseAll = (
  text: string,
  source: string
): Effect.Effect<ReadonlyArray<Member>, MakeError.InvalidInput> =>
  Effect.gen(function*() {
    // a document's value, or what kept it from being one; documents holding nothing (a trailing `---`) left out
    const documents = Yaml.parseAllDocuments(text, { prettyErrors: false }).map((document) => {
      const [syntax] = document.errors
      return syntax === undefined
        ? Result.try({ try: (): unknown => document.toJS(), catch: messageOf })
        : Result.fail(syntax.message)
    }).filter((value) => Result.isFailure(value) || (value.success !== null && value.success !== undefined))
    const nameOf = (index: number) => documents.length === 1 ? source : `${source}#${index + 1}`
    const outcomes = yield* Effect.forEach(documents, (value, index) =>
      Effect.result(decodeDocument(value, nameOf(index))))
    const problems = outcomes.flatMap((outcome) =>
      Result.isFailure(outcome) ? outcome.failure : []
    )
    if (documents.length === 0) problems.push(`${source}: holds no spec`)
    if (problems.length > 0) return yield* new MakeError.InvalidInput({ operation: specOperation, issues: problems })
    return outcomes.flatMap((outcome) => Result.isSuccess(outcome) ? [outcome.success] : [])
  })

/** One document of a stream as a spec, or its problems, each prefixed with the spec's name. */
const decodeDocument = (
  value: Result.Result<unknown, string>,
  name: string
): Effect.Effect<Member, ReadonlyArray<string>> =>
  Result.isFailure(value)
    ? Effect.fail([`${name}: the text is neither YAML nor JSON: ${value.failure}`])
    : Effect.mapBoth(ProvisionSpec.decode(value.success), {
      onFailure: (error) => about(name, error),
      onSuccess: (spec): Member => ({ source: name, spec })
    })

/** The spec files a path names: the file itself, or a folder's `.yaml`, `.yml` and `.json` files, sorted by name. */
const filesOf = (fs: FileSystem.FileSystem, path: Path.Path, given: string) =>
  Effect.gen(function*() {
    const info = yield* fs.stat(given)
    if (info.type !== "Directory") return [given]
    const names = (yield* fs.readDirectory(given)).filter((name) =>
      !name.startsWith(".") && /\.(ya?ml|json)$/i.test(name)
    ).sort((a, b) => a < b ? -1 : a > b ? 1 : 0)
    if (names.length === 0) return yield* Effect.fail(`${given}: the folder holds no .yaml, .yml or .json file`)
    return names.map((name) => path.join(given, name))
  }).pipe(Effect.mapError((error) => Predicate.isString(error) ? error : `${given}: ${error.message}`))

/**
 * Reads a fleet: each path a spec file (read as YAML or JSON whatever its extension) or a folder, whose `.yaml`,
 * `.yml` and `.json` files are read, in the order of their names (not its subfolders, nor hidden files). A file may
 * hold several specs as a YAML stream (documents separated by `---`). A file named twice is read once. Every file is
 * read and decoded before anything is answered: one `InvalidInput` lists every problem of every file, each
 * prefixed with its file.
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Effect } from "effect"
 * import { Fleet } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const fleet = yield* Fleet.load(["specs/"])
 *   return yield* Fleet.provisionAll(fleet)
 * })
 * const withFiles = program.pipe(Effect.provide(NodeServices.layer))
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const load = (
  paths: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<Member>, MakeError.InvalidInput, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const problems: Array<string> = []
    const files: Array<string> = []
    const seen = new Set<string>()
    for (const found of yield* Effect.forEach(paths, (given) => Effect.result(filesOf(fs, path, given)))) {
      if (Result.isFailure(found)) problems.push(found.failure)
      else {
        for (const file of found.success) {
          if (!seen.has(path.resolve(file))) files.push(file)
          seen.add(path.resolve(file))
        }
      }
    }
    const read = (file: string) =>
      Effect.flatMap(
        Effect.mapError(
          fs.readFileString(file),
          (error) => new MakeError.InvalidInput({ operation: specOperation, issues: [`${file}: ${error.message}`] })
        ),
        (text) => parseAll(text, file)
      )
    const members: Array<Member> = []
    for (const parsed of yield* Effect.forEach(files, (file) => Effect.result(read(file)), { concurrency: 8 })) {
      if (Result.isFailure(parsed)) problems.push(...parsed.failure.issues)
      else members.push(...parsed.success)
    }
    if (paths.length === 0) problems.push("no spec file or folder given")
    if (problems.length > 0) return yield* new MakeError.InvalidInput({ operation: specOperation, issues: problems })
    return members
  })

/** The sources of every key that more than one spec has. */
const shared = (members: ReadonlyArray<Member>, key: (member: Member) => string | undefined) => {
  const sources = new Map<string, Array<string>>()
  for (const member of members) {
    const k = key(member)
    if (k !== undefined) sources.set(k, [...(sources.get(k) ?? []), member.source])
  }
  return [...sources].filter(([, all]) => all.length > 1)
}

/**
 * Checks a fleet before anything is sent: every spec valid (`InvalidInput` listing every problem of every spec, each
 * prefixed with its source), then no organization named by two specs, by name or by `externalId` (two runs
 * converging one organization would undo each other's changes): `InvalidInput` of operation `Fleet` naming them.
 * Names are compared exactly, as `provision` finds an organization by them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Fleet, ProvisionSpec } from "effect-make"
 *
 * const acme: ProvisionSpec.ProvisionSpec = {
 *   organization: { name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 },
 *   teams: [], variables: [], invitations: [], featureControls: []
 * }
 * // fails: both specs name the organization "Acme"
 * const refused = Fleet.check([{ source: "a.yaml", spec: acme }, { source: "b.yaml", spec: acme }])
 * ```
 *
 * @since 1.0.0
 * @category validation
 */
export const check = (
  members: ReadonlyArray<Member>
): Effect.Effect<ReadonlyArray<Member>, MakeError.InvalidInput> =>
  Effect.gen(function*() {
    const checked = yield* Effect.forEach(members, (member) =>
      Effect.result(Effect.map(ProvisionSpec.validate(member.spec), (spec): Member => ({ ...member, spec }))))
    const invalid = checked.flatMap((outcome, i) =>
      Result.isFailure(outcome) ? about(members[i]?.source ?? String(i), outcome.failure) : []
    )
    if (invalid.length > 0) {
      return yield* new MakeError.InvalidInput({ operation: specOperation, issues: invalid })
    }
    const valid = checked.flatMap((outcome) =>
      Result.isSuccess(outcome) ? [outcome.success] : []
    )
    const twice = [
      ...shared(valid, (member) => member.spec.organization.name).map(([name, sources]) =>
        `the organization "${name}" is named by ${sources.join(", ")}: keep one spec per organization`
      ),
      ...shared(valid, (member) => member.spec.organization.externalId).map(([id, sources]) =>
        `the organization externalId "${id}" is named by ${sources.join(", ")}: keep one spec per organization`
      )
    ]
    if (twice.length > 0) return yield* new MakeError.InvalidInput({ operation: "Fleet", issues: twice })
    return valid
  })

const isMember = (item: ProvisionSpec.ProvisionSpec | Member): item is Member =>
  Predicate.hasProperty(item, "spec") && Predicate.hasProperty(item, "source")

/**
 * One spec's run, as `Provision.provision` runs it, its outcome as a line: a failure is reported, never stops the
 * fleet. The run lives in the engine, not in this fiber (a workflow outlives its caller): interrupting the fleet
 * interrupts the run there, which sends nothing more.
 */
const runOne = (member: Member, options: RunOptions) =>
  Effect.gen(function*() {
    const payload = yield* Provision.payloadOf(member.spec, options)
    const executionId = yield* Provision.ProvisionWorkflow.executionId(payload)
    return yield* Provision.ProvisionWorkflow.execute(payload).pipe(
      Effect.onInterrupt(() => Provision.ProvisionWorkflow.interrupt(executionId))
    )
  }).pipe(
    Effect.withSpan("effect-make/provision"),
    Effect.map((result) => FleetResult.succeeded(member.source, result)),
    Effect.catch((error) => Effect.succeed(FleetResult.failed(member.source, member.spec.organization.name, error)))
  )

/**
 * Converges a fleet: every spec is checked first ({@link check}: each valid, no organization named twice; else
 * `InvalidInput` and nothing is sent), then each spec is `Provision.provision`ed, `concurrency` at once (default
 * {@link defaultConcurrency}). Each run is its own workflow execution, with the execution id `provision` derives from
 * its spec and options: re-applying resumes a run under way, and after a completed one reads Make and writes only
 * what differs (nothing, for an applied fleet); on the durable engine each run is its own entity, so the runs spread
 * over the shards. A run that fails rolls back what it created (unless `provision.onFailure` is `keep`) and is
 * reported on its line; the others go on. Interrupting the fleet interrupts every run under way when the engine runs
 * them here (in memory, or on a replica); from a cluster client (`ClusterClient`), a run already sent to its replica
 * may be finished there instead.
 *
 * The answer lists one line per spec, in the fleet's order, and the summary: see {@link FleetResult.FleetResult}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Fleet, type ProvisionSpec } from "effect-make"
 *
 * const program = (specs: ReadonlyArray<ProvisionSpec.ProvisionSpec>) =>
 *   Effect.gen(function*() {
 *     const result = yield* Fleet.provisionAll(specs, { concurrency: 8 })
 *     for (const line of result.lines) yield* Effect.log(`${line.source}: ${line.outcome}`)
 *     return result.summary.failed === 0
 *   })
 * ```
 *
 * @since 1.0.0
 * @category workflows
 */
export const provisionAll = (
  specs: ReadonlyArray<ProvisionSpec.ProvisionSpec | Member>,
  options?: FleetOptions
): Effect.Effect<FleetResult.FleetResult, MakeError.InvalidInput, WorkflowEngine.WorkflowEngine> =>
  Effect.gen(function*() {
    const concurrency = yield* Effect.mapError(
      Schema.decodeUnknownEffect(Concurrency)(options?.concurrency ?? defaultConcurrency),
      (error) => MakeError.invalidInput("Fleet concurrency", error)
    )
    const runOptions = yield* resolveOptions(options?.provision)
    const members = yield* check(
      specs.map((item) => isMember(item) ? item : { source: item.organization.name, spec: item })
    )
    const lines = yield* Effect.forEach(members, (member) => runOne(member, runOptions), { concurrency })
    return FleetResult.make(lines)
  }).pipe(Effect.withSpan("effect-make/provisionAll"))
