/**
 * Custom organization variables, typed: the value's type follows `typeId` (1 number, 2 string, 3 boolean, 4 date), in
 * the types and at run time; and the history of their changes.
 *
 * @since 1.0.0
 */
// Custom organization variables, typed by `typeId`, and the history of their changes.
// Floor 1: imports only `effect` and sibling domain modules.
import { Effect, Schema, SchemaIssue, SchemaTransformation } from "effect"
import { Optional, OptionalInput } from "./Common.js"

/**
 * A variable name: letters, digits, `$` and `_` (so a name can never change a URL path), 1 to 128 characters.
 *
 * @since 1.0.0
 * @category schemas
 */
export const VariableName = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9$_]{1,128}$/, { message: "must be 1 to 128 letters, digits, $ or _" })
).annotate({ identifier: "VariableName" })

/**
 * `typeId` → value type: 1 number, 2 string, 3 boolean, 4 date. A date travels as ISO 8601
 * (`1998-03-06T12:31:00.000Z`) and is a `DateTime.Utc` in code: immutable, and Effect's own time type.
 *
 * @since 1.0.0
 * @category schemas
 */
export const VariableValue = {
  1: Schema.Finite,
  2: Schema.String.check(Schema.isMaxLength(4096)),
  3: Schema.Boolean,
  // Effect 3's `Schema.DateTimeUtc` decoded a string; Effect 4's `DateTimeUtc` is the decoded type only, and
  // `DateTimeUtcFromString` is the string codec.
  4: Schema.DateTimeUtcFromString
} as const

const typed = <const T extends 1 | 2 | 3 | 4, S extends Schema.Top>(typeId: T, value: S) =>
  Schema.Struct({ typeId: Schema.Literal(typeId), value })

const answered = <const T extends 1 | 2 | 3 | 4, S extends Schema.Top>(typeId: T, value: S) =>
  Schema.Struct({
    /** The variable name. */
    name: Schema.String,
    typeId: Schema.Literal(typeId),
    value,
    /** Whether Make defines it (system variables are read-only). */
    isSystem: Optional(Schema.Boolean)
  })

const named = <const T extends 1 | 2 | 3 | 4, S extends Schema.Top>(typeId: T, value: S) =>
  Schema.Struct({ name: VariableName, typeId: Schema.Literal(typeId), value })

/**
 * A variable whose value is not of the type its `typeId` says. Make allows it: an update that sends only `value` (or
 * only `typeId`) is not type-checked, as its docs say. The raw value is kept as Make sent it, and `mismatched: true`
 * tells this variant apart from the typed ones (see {@link isMismatched}), so one odd variable never fails a list.
 *
 * @since 1.0.0
 * @category models
 */
export const MismatchedVariable = Schema.Struct({
  /** The variable name. */
  name: Schema.String,
  /** The type Make records for it, which `value` does not have. */
  typeId: Schema.Literals([1, 2, 3, 4]),
  /** The value exactly as Make sent it. */
  value: Schema.Union([Schema.Number, Schema.String, Schema.Boolean, Schema.Null]),
  /** Whether Make defines it (system variables are read-only). */
  isSystem: Optional(Schema.Boolean),
  /**
   * Always `true`: set on decoding, left out on encoding (Effect 3's `attachPropertySignature`; Effect 4 says it
   * with a decoding default whose encoding omits the key).
   */
  mismatched: Schema.Literal(true).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed(true), { encodingStrategy: "omit" })
  )
}).annotate({ identifier: "MismatchedVariable" })

/**
 * The type of the `MismatchedVariable` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type MismatchedVariable = typeof MismatchedVariable.Type

/**
 * An organization variable as Make answers it. Decoded values have the type their `typeId` says; a variable whose
 * value does not is a {@link MismatchedVariable} carrying the raw value.
 *
 * @example
 * ```ts
 * import { OrganizationVariable } from "effect-make"
 *
 * const describe = (v: OrganizationVariable.OrganizationVariable) =>
 *   OrganizationVariable.isMismatched(v) ? `${v.name}: ${String(v.value)} (not of type ${v.typeId})` : v.name
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export const OrganizationVariable = Schema.Union([
  answered(1, VariableValue[1]),
  answered(2, VariableValue[2]),
  answered(3, VariableValue[3]),
  answered(4, VariableValue[4]),
  MismatchedVariable
]).annotate({ identifier: "OrganizationVariable" })

/**
 * The type of the `OrganizationVariable` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type OrganizationVariable = typeof OrganizationVariable.Type

/**
 * Whether a variable holds a value of another type than its `typeId` says.
 *
 * @since 1.0.0
 * @category guards
 */
export const isMismatched = (variable: OrganizationVariable): variable is MismatchedVariable =>
  "mismatched" in variable && variable.mismatched

/**
 * Body of `POST /organizations/{organizationId}/variables`: the name, and a value of the type `typeId` says.
 *
 * @example
 * ```ts
 * import { DateTime } from "effect"
 *
 * const limit = { name: "dailyLimit", typeId: 1, value: 250 } as const
 * const launch = { name: "launchDate", typeId: 4, value: DateTime.makeUnsafe("2026-12-01T09:00:00Z") } as const
 * ```
 *
 * @since 1.0.0
 * @category request bodies
 */
export const CreateVariable = Schema.Union([
  named(1, VariableValue[1]),
  named(2, VariableValue[2]),
  named(3, VariableValue[3]),
  named(4, VariableValue[4])
]).annotate({ identifier: "CreateVariable" })

/**
 * The type of the `CreateVariable` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type CreateVariable = typeof CreateVariable.Type

/**
 * Body of `PATCH /organizations/{organizationId}/variables/{variableName}`. This client always sends `typeId` with
 * `value`, so Make checks that they match (it does not when only one of them is sent).
 *
 * @since 1.0.0
 * @category request bodies
 */
export const UpdateVariable = Schema.Union([
  typed(1, VariableValue[1]),
  typed(2, VariableValue[2]),
  typed(3, VariableValue[3]),
  typed(4, VariableValue[4])
]).annotate({ identifier: "UpdateVariable" })

/**
 * The type of the `UpdateVariable` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type UpdateVariable = typeof UpdateVariable.Type

/**
 * Who changed a variable.
 *
 * @since 1.0.0
 * @category models
 */
export const VariableAuthor = Schema.Struct({
  id: Schema.Number,
  name: Optional(Schema.String),
  email: Optional(Schema.String)
}).annotate({ identifier: "VariableAuthor" })

/** What one history entry says; the docs name its meaning (original value, new value, timestamp, author), not its fields. */
const HistoryDiff = Schema.Struct({
  /** The value before the update. */
  originalValue: Optional(Schema.Unknown),
  /** The value after the update. */
  newValue: Optional(Schema.Unknown),
  /** The current value, for a variable never updated. */
  value: Optional(Schema.Unknown),
  /** When the change was made (ISO 8601). */
  timestamp: Optional(Schema.String),
  /** Who made it. */
  author: Optional(VariableAuthor)
})

/**
 * The plausible wire names of each documented meaning, the canonical (the emulator's) first. Read into the one
 * documented field, the first present wins: nothing Make sends under one of these names is dropped.
 */
const DiffWire = Schema.Struct({
  ...HistoryDiff.fields,
  oldValue: Optional(Schema.Unknown),
  previousValue: Optional(Schema.Unknown),
  currentValue: Optional(Schema.Unknown),
  changedAt: Optional(Schema.String),
  updatedAt: Optional(Schema.String),
  createdAt: Optional(Schema.String),
  user: Optional(VariableAuthor),
  changedBy: Optional(VariableAuthor),
  updatedBy: Optional(VariableAuthor)
})

type DiffWire = typeof DiffWire.Type

/** The first defined of several readings of one meaning. */
const first = <V>(...readings: ReadonlyArray<V | undefined>): V | undefined =>
  readings.find((reading) => reading !== undefined)

const readDiff = (wire: DiffWire): typeof HistoryDiff.Type => {
  const originalValue = first(wire.originalValue, wire.oldValue, wire.previousValue)
  const value = first(wire.value, wire.currentValue)
  const timestamp = first(wire.timestamp, wire.changedAt, wire.updatedAt, wire.createdAt)
  const author = first(wire.author, wire.user, wire.changedBy, wire.updatedBy)
  // Optional fields are left out rather than set to `undefined` (exactOptionalPropertyTypes).
  return {
    ...(originalValue === undefined ? {} : { originalValue }),
    ...(wire.newValue === undefined ? {} : { newValue: wire.newValue }),
    ...(value === undefined ? {} : { value }),
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(author === undefined ? {} : { author })
  }
}

/**
 * One entry of a variable's history. For an update, `originalValue` and `newValue`; for a variable never updated,
 * `value` (its current value). Values are as Make stored them (the type may have changed with the update).
 *
 * On the wire the entry's content sits in `diffObject` (the docs) or directly on the entry, under any plausible
 * name of each documented meaning (`oldValue`, `changedAt`, `user`, ...). An entry that carries none of its
 * documented content fails to decode: an `UnexpectedResponse`, never an empty success.
 *
 * @since 1.0.0
 * @category schemas
 */
export const VariableHistoryEntry = Schema.Struct({
  /** The history entry id. */
  id: Schema.Union([Schema.Number, Schema.String]),
  diffObject: Optional(DiffWire),
  ...DiffWire.fields
}).pipe(
  Schema.decodeTo(
    Schema.Struct({
      id: Schema.Union([Schema.Number, Schema.String]),
      diffObject: Schema.toType(HistoryDiff)
    }),
    SchemaTransformation.transformEffect({
      decode: (wire, options) => {
        const { diffObject, id, ...flat } = wire
        const diff = readDiff(diffObject ?? flat)
        return Object.keys(diff).length === 0
          ? Effect.fail(
            new SchemaIssue.InvalidValue(
              { message: "a history entry with none of original value, new value, value, timestamp, author" },
              wire,
              options
            )
          )
          : Effect.succeed({ id, diffObject: diff })
      },
      encode: (entry) => Effect.succeed(entry)
    })
  )
).annotate({ identifier: "VariableHistoryEntry" })

/**
 * One decoded entry of a variable's history (the type of the `VariableHistoryEntry` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface VariableHistoryEntry extends Schema.Schema.Type<typeof VariableHistoryEntry> {}

/** Whether a wire value is of the type its `typeId` says (a date is an ISO 8601 string). */
const valueMatchesType = (variable: { readonly typeId: 1 | 2 | 3 | 4; readonly value: unknown }): boolean => {
  switch (variable.typeId) {
    case 1:
      return typeof variable.value === "number" && Number.isFinite(variable.value)
    case 2:
      return typeof variable.value === "string"
    case 3:
      return typeof variable.value === "boolean"
    case 4:
      return typeof variable.value === "string" && !Number.isNaN(Date.parse(variable.value))
  }
}

const wireFields = {
  typeId: Schema.Literals([1, 2, 3, 4]),
  value: Schema.Union([Schema.Number, Schema.String, Schema.Boolean])
}

const typeMismatch = "value must be of the type typeId says (1 number, 2 string, 3 boolean, 4 ISO 8601 date)"

/**
 * The create body as it travels (a date as its ISO string), for the contract: one struct whose refinement checks
 * that `value` has the type `typeId` says. Services build it by encoding a {@link CreateVariable}.
 *
 * @since 1.0.0
 * @category wire
 */
export const CreateVariableBody = Schema.Struct({ name: VariableName, ...wireFields }).check(
  Schema.makeFilter((body) => valueMatchesType(body) || typeMismatch)
).annotate({ identifier: "CreateVariableBody" })

/**
 * The update body as it travels, for the contract. Make's docs: "no check for incorrect variable type when you update
 * only variable value and vice versa", so either field may come alone, unchecked; with both, `value` must have the
 * type `typeId` says. This client always sends both (see {@link UpdateVariable}).
 *
 * @since 1.0.0
 * @category wire
 */
export const UpdateVariableBody = Schema.Struct({
  typeId: OptionalInput(wireFields.typeId),
  value: OptionalInput(wireFields.value)
}).check(
  Schema.makeFilter((body) => body.typeId !== undefined || body.value !== undefined || "typeId or value is required"),
  Schema.makeFilter((body) =>
    body.typeId === undefined || body.value === undefined ||
    valueMatchesType({ typeId: body.typeId, value: body.value }) || typeMismatch
  )
).annotate({ identifier: "UpdateVariableBody" })
