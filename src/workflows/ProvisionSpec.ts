/**
 * What `provision` makes true: an organization with its teams, variables, invitations and feature controls, as a
 * Schema decodable from JSON or YAML.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` (its FileSystem too), `yaml`, the domain schemas and MakeError.
import { Effect, FileSystem, Predicate, Result, Schema } from "effect"
import * as Yaml from "yaml"
import { Id, Name } from "../domain/Common.js"
import { Email } from "../domain/Invitation.js"
import { CreateVariable } from "../domain/OrganizationVariable.js"
import * as MakeError from "../MakeError.js"

/** Effect 3's `Schema.NonEmptyTrimmedString`: no blank at either end, not empty. */
const NonEmptyTrimmed = Schema.Trimmed.check(Schema.isNonEmpty())

/**
 * The organization to find or create. Make's create call takes no `externalId`: when given, it is only how an
 * organization that already exists (made by your White Label back office) is found; otherwise it is found by name.
 *
 * @since 1.0.0
 * @category schemas
 */
export const OrganizationSpec = Schema.Struct({
  name: Name,
  regionId: Id,
  timezoneId: Id,
  countryId: Id,
  externalId: Schema.optional(NonEmptyTrimmed)
}).annotate({ identifier: "OrganizationSpec" })

/**
 * A team of the organization, found by `externalId` when given, else by name (Make's create call takes no
 * `externalId` either).
 *
 * @since 1.0.0
 * @category schemas
 */
export const TeamSpec = Schema.Struct({
  name: Name,
  externalId: Schema.optional(NonEmptyTrimmed)
}).annotate({ identifier: "TeamSpec" })

/**
 * A user to invite; `teams` names teams of this spec, resolved to their ids when the invitation is sent.
 *
 * @since 1.0.0
 * @category schemas
 */
export const InvitationSpec = Schema.Struct({
  email: Email,
  name: Name,
  usersRoleId: Schema.optional(Id),
  teams: Schema.Array(Name).pipe(Schema.withDecodingDefaultKey(Effect.succeed([])))
}).annotate({ identifier: "InvitationSpec" })

/**
 * A feature control to switch on or off.
 *
 * @since 1.0.0
 * @category schemas
 */
export const FeatureControlSpec = Schema.Struct({
  id: Id,
  enabled: Schema.Boolean
}).annotate({ identifier: "FeatureControlSpec" })

/**
 * The fields of a spec, before the checks across them.
 */
const SpecFields = Schema.Struct({
  organization: OrganizationSpec,
  teams: Schema.Array(TeamSpec).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  /** Typed as `OrganizationVariables.create` takes them: `typeId` 1 number, 2 string, 3 boolean, 4 ISO date. */
  variables: Schema.Array(CreateVariable).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  invitations: Schema.Array(InvitationSpec).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  featureControls: Schema.Array(FeatureControlSpec).pipe(Schema.withDecodingDefaultKey(Effect.succeed([])))
})

const duplicates = <A>(items: ReadonlyArray<A>, key: (item: A) => string | undefined): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const item of items) {
    const k = key(item)
    if (k === undefined) continue
    if (seen.has(k)) repeated.add(k)
    seen.add(k)
  }
  return [...repeated]
}

/**
 * What the checks across fields read of a spec: the keys its items are matched by. Any of them may be absent, so that
 * a spec whose fields did not all decode is checked too (see {@link keysOf}).
 *
 * @since 1.0.0
 * @category models
 */
export interface Keys {
  readonly teams: ReadonlyArray<{ readonly name?: string | undefined; readonly externalId?: string | undefined }>
  readonly variables: ReadonlyArray<{ readonly name?: string | undefined }>
  readonly invitations: ReadonlyArray<{ readonly email?: string | undefined; readonly teams: ReadonlyArray<string> }>
  readonly featureControls: ReadonlyArray<{ readonly id?: number | undefined }>
}

const itemsOf = (value: unknown, key: string): ReadonlyArray<{ readonly [key: string]: unknown }> => {
  const items = Predicate.isObject(value) ? value[key] : undefined
  return Array.isArray(items) ? items.map((item: unknown) => Predicate.isObject(item) ? item : {}) : []
}
const stringOf = (value: unknown): string | undefined => Predicate.isString(value) ? value : undefined

/**
 * The keys of a spec in any shape (its JSON form, or a typed spec): each item keeps its place, with the keys that are
 * there and of the right type.
 *
 * @since 1.0.0
 * @category validation
 */
export const keysOf = (input: unknown): Keys => ({
  teams: itemsOf(input, "teams").map((team) => ({
    name: stringOf(team["name"]),
    externalId: stringOf(team["externalId"])
  })),
  variables: itemsOf(input, "variables").map((variable) => ({ name: stringOf(variable["name"]) })),
  invitations: itemsOf(input, "invitations").map((invitation) => {
    const teams = invitation["teams"]
    return {
      email: stringOf(invitation["email"]),
      teams: Array.isArray(teams) ? teams.filter(Predicate.isString) : []
    }
  }),
  featureControls: itemsOf(input, "featureControls").map((control) => ({
    id: Predicate.isNumber(control["id"]) ? control["id"] : undefined
  }))
})

/**
 * The checks no single field can make: names unique per kind, invitations naming teams of the spec.
 *
 * @since 1.0.0
 * @category validation
 */
export const crossChecks = (spec: Keys): ReadonlyArray<string> => {
  const teamNames = new Set(spec.teams.flatMap((team) => team.name === undefined ? [] : [team.name]))
  return [
    ...duplicates(spec.teams, (team) => team.name).map((name) => `teams: the team name "${name}" appears twice`),
    ...duplicates(spec.teams, (team) => team.externalId).map((id) => `teams: the externalId "${id}" appears twice`),
    ...duplicates(spec.variables, (variable) => variable.name).map((name) =>
      `variables: the variable "${name}" appears twice`
    ),
    ...duplicates(spec.invitations, (invitation) => invitation.email?.toLowerCase()).map((email) =>
      `invitations: ${email} is invited twice`
    ),
    ...duplicates(spec.featureControls, (control) => control.id === undefined ? undefined : String(control.id)).map((
      id
    ) => `featureControls: feature control ${id} appears twice`),
    ...spec.invitations.flatMap((invitation, i) =>
      invitation.teams.filter((name) => !teamNames.has(name)).map((name) =>
        `invitations.${i}.teams: "${name}" is not a team of this spec`
      )
    )
  ]
}

/**
 * A provisioning spec: everything `plan` compares and `provision` makes true. Decodes from the JSON (or YAML) form;
 * a date variable's value is an ISO 8601 string there.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { ProvisionSpec } from "effect-make"
 *
 * const spec = Schema.decodeUnknownSync(ProvisionSpec.ProvisionSpec)({
 *   organization: { name: "Acme Robotics", regionId: 1, timezoneId: 113, countryId: 1 },
 *   teams: [{ name: "Engineering" }, { name: "Support" }],
 *   invitations: [{ email: "ann@example.com", name: "Ann", teams: ["Support"] }]
 * })
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export const ProvisionSpec = SpecFields.check(
  Schema.makeFilter((spec) => crossChecks(spec))
).annotate({
  identifier: "ProvisionSpec",
  description: "A spec (YAML or JSON) has organization {name, regionId, timezoneId, countryId, externalId?} and the " +
    "optional lists teams [{name, externalId?}], variables [{name, typeId (1 number, 2 text, 3 boolean, 4 date), " +
    "value}], invitations [{email, name, usersRoleId?, teams: names of the spec's teams}] and featureControls " +
    "[{id, enabled}], names unique in each list; see examples/acme.yaml in the effect-make repository."
})

/**
 * A decoded provisioning spec (the type of the `ProvisionSpec` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface ProvisionSpec extends Schema.Schema.Type<typeof ProvisionSpec> {}

/**
 * The spec as JSON or YAML files hold it.
 *
 * @since 1.0.0
 * @category models
 */
export type Encoded = Schema.Codec.Encoded<typeof ProvisionSpec>

const operation = "ProvisionSpec"

/**
 * Decodes a spec from its JSON form (a parsed file, or a literal): `InvalidInput` listing every problem.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ProvisionSpec } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const spec = yield* ProvisionSpec.decode({
 *     organization: { name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 }
 *   })
 *   return spec.organization.name
 * })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const decode = (input: unknown): Effect.Effect<ProvisionSpec, MakeError.InvalidInput> =>
  Effect.mapError(
    // `reportInput`: Effect 4 keeps the rejected value on an issue only when asked, and a spec's author wants to see
    // it (`regionId: Expected a value greater than 0, got -1`), as Effect 3 showed it
    Schema.decodeUnknownEffect(ProvisionSpec)(input, { errors: "all", reportInput: true }),
    everyProblem(input)
  )

/**
 * Every problem of a spec in one report: the schema checks the fields first and the checks across them only once
 * the fields decode, so when a field fails, the checks across fields are run here on what the input has (else a
 * duplicate team name would only show once the fields are fixed).
 */
const everyProblem = (input: unknown) => (error: Schema.SchemaError): MakeError.InvalidInput => {
  const issues = MakeError.formatIssues(error)
  const across = crossChecks(keysOf(input)).filter((problem) => !issues.some((issue) => issue.endsWith(problem)))
  return new MakeError.InvalidInput({ operation, issues: [...issues, ...across] })
}

/**
 * Checks a spec already in its typed form (dates as `DateTime.Utc`), as `provision` and `plan` do before anything
 * is sent: `InvalidInput` listing every problem.
 *
 * @since 1.0.0
 * @category validation
 */
export const validate = (spec: ProvisionSpec): Effect.Effect<ProvisionSpec, MakeError.InvalidInput> =>
  // Effect 3's `Schema.validate`: the type side of the schema, every problem listed.
  Effect.mapError(
    Schema.decodeUnknownEffect(Schema.toType(ProvisionSpec))(spec, { errors: "all", reportInput: true }),
    everyProblem(spec)
  )

/**
 * The spec in its JSON form, for files, logs and the workflow's journal.
 *
 * @since 1.0.0
 * @category encoding
 */
export const encode = (spec: ProvisionSpec): Effect.Effect<Encoded, MakeError.InvalidInput> =>
  Effect.mapError(Schema.encodeEffect(ProvisionSpec)(spec), (error) => MakeError.invalidInput(operation, error))

/**
 * Parses a spec from YAML or JSON text (JSON is YAML), then decodes it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ProvisionSpec } from "effect-make"
 *
 * const spec = Effect.runSync(ProvisionSpec.parse(`
 * organization: { name: Acme Robotics, regionId: 1, timezoneId: 113, countryId: 1 }
 * teams:
 *   - name: Engineering
 * `))
 * assert.strictEqual(spec.organization.name, "Acme Robotics")
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const parse = (text: string): Effect.Effect<ProvisionSpec, MakeError.InvalidInput> =>
  Effect.flatMap(
    Effect.fromResult(Result.try({
      try: () => Yaml.parse(text, { prettyErrors: false }),
      catch: (error) =>
        new MakeError.InvalidInput({
          operation,
          issues: [`the text is neither YAML nor JSON: ${error instanceof Error ? error.message : String(error)}`]
        })
    })),
    decode
  )

/**
 * Reads a spec file (`.yaml`, `.yml` or `.json`) through the platform's `FileSystem`, then parses it. A file that
 * cannot be read is `InvalidInput` too: the spec is the caller's input.
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Effect } from "effect"
 * import { ProvisionSpec } from "effect-make"
 *
 * const spec = ProvisionSpec.load("acme.yaml").pipe(Effect.provide(NodeServices.layer))
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const load = (path: string): Effect.Effect<ProvisionSpec, MakeError.InvalidInput, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* Effect.mapError(
      fs.readFileString(path),
      (error) => new MakeError.InvalidInput({ operation, issues: [`${path}: ${error.message}`] })
    )
    return yield* parse(text)
  })

/**
 * A stable text for the spec: its JSON form with keys sorted, so that two specs that say the same thing give the same
 * text whatever their key order. `provision` derives its execution id from it.
 *
 * @since 1.0.0
 * @category encoding
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value))

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map((
        [k, v]
      ) => [k, sortKeys(v)])
    )
  }
  return value
}
