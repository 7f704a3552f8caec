// Custom organization variables, typed: the value's type follows `typeId` (1 number, 2 string, 3 boolean, 4 date),
// in the types and at run time; and the history of their changes. Floor 1: imports only `effect` and domain/.
/**
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Optional } from "./Common.js"

/**
 * A variable name: letters, digits, `$` and `_` (so a name can never change a URL path), 1 to 128 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VariableName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9$_]{1,128}$/, {
    message: () => "must be 1 to 128 letters, digits, $ or _"
  }),
  Schema.annotations({ identifier: "VariableName" })
)

/**
 * `typeId` → value type: 1 number, 2 string, 3 boolean, 4 date. A date travels as ISO 8601
 * (`1998-03-06T12:31:00.000Z`) and is a `DateTime.Utc` in code: immutable, and Effect's own time type.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VariableValue = {
  1: Schema.Number.pipe(Schema.finite()),
  2: Schema.String.pipe(Schema.maxLength(4096)),
  3: Schema.Boolean,
  4: Schema.DateTimeUtc
} as const

const typed = <const T extends 1 | 2 | 3 | 4, A, I>(typeId: T, value: Schema.Schema<A, I>) =>
  Schema.Struct({ typeId: Schema.Literal(typeId), value })

const answered = <const T extends 1 | 2 | 3 | 4, A, I>(typeId: T, value: Schema.Schema<A, I>) =>
  Schema.Struct({
    /** The variable name. */
    name: Schema.String,
    typeId: Schema.Literal(typeId),
    value,
    /** Whether Make defines it (system variables are read-only). */
    isSystem: Optional(Schema.Boolean)
  })

const named = <const T extends 1 | 2 | 3 | 4, A, I>(typeId: T, value: Schema.Schema<A, I>) =>
  Schema.Struct({ name: VariableName, typeId: Schema.Literal(typeId), value })

/**
 * An organization variable as Make answers it. Decoded values have the type their `typeId` says.
 *
 * @since 0.1.0
 * @category models
 */
export const OrganizationVariable = Schema.Union(
  answered(1, VariableValue[1]),
  answered(2, VariableValue[2]),
  answered(3, VariableValue[3]),
  answered(4, VariableValue[4])
).annotations({ identifier: "OrganizationVariable" })

/**
 * @since 0.1.0
 * @category models
 */
export type OrganizationVariable = typeof OrganizationVariable.Type

/**
 * Body of `POST /organizations/{organizationId}/variables`: the name, and a value of the type `typeId` says.
 *
 * @example
 * ```ts
 * import { DateTime } from "effect"
 *
 * const limit = { name: "dailyLimit", typeId: 1, value: 250 } as const
 * const launch = { name: "launchDate", typeId: 4, value: DateTime.unsafeMake("2026-12-01T09:00:00Z") } as const
 * ```
 *
 * @since 0.1.0
 * @category request bodies
 */
export const CreateVariable = Schema.Union(
  named(1, VariableValue[1]),
  named(2, VariableValue[2]),
  named(3, VariableValue[3]),
  named(4, VariableValue[4])
).annotations({ identifier: "CreateVariable", parseOptions: { errors: "all" } })

/**
 * @since 0.1.0
 * @category request bodies
 */
export type CreateVariable = typeof CreateVariable.Type

/**
 * Body of `PATCH /organizations/{organizationId}/variables/{variableName}`. This client always sends `typeId` with
 * `value`, so Make checks that they match (it does not when only one of them is sent).
 *
 * @since 0.1.0
 * @category request bodies
 */
export const UpdateVariable = Schema.Union(
  typed(1, VariableValue[1]),
  typed(2, VariableValue[2]),
  typed(3, VariableValue[3]),
  typed(4, VariableValue[4])
).annotations({ identifier: "UpdateVariable", parseOptions: { errors: "all" } })

/**
 * @since 0.1.0
 * @category request bodies
 */
export type UpdateVariable = typeof UpdateVariable.Type

/**
 * Who changed a variable.
 *
 * @since 0.1.0
 * @category models
 */
export const VariableAuthor = Schema.Struct({
  id: Schema.Number,
  name: Optional(Schema.String),
  email: Optional(Schema.String)
}).annotations({ identifier: "VariableAuthor" })

/**
 * One entry of a variable's history. For an update, `originalValue` and `newValue`; for a variable never updated,
 * `value` (its current value). Values are as Make stored them (the type may have changed with the update).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VariableHistoryEntry = Schema.Struct({
  /** The history entry id. */
  id: Schema.Union(Schema.Number, Schema.String),
  diffObject: Schema.Struct({
    originalValue: Optional(Schema.Unknown),
    newValue: Optional(Schema.Unknown),
    value: Optional(Schema.Unknown),
    /** When the change was made (ISO 8601). */
    timestamp: Optional(Schema.String),
    author: Optional(VariableAuthor)
  })
}).annotations({ identifier: "VariableHistoryEntry" })

/**
 * @since 0.1.0
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
  typeId: Schema.Literal(1, 2, 3, 4),
  value: Schema.Union(Schema.Number, Schema.String, Schema.Boolean)
}

const typeMismatch = {
  message: () => "value must be of the type typeId says (1 number, 2 string, 3 boolean, 4 ISO 8601 date)"
}

/**
 * The create body as it travels (a date as its ISO string), for the contract: one struct whose refinement checks
 * that `value` has the type `typeId` says. Services build it by encoding a {@link CreateVariable}.
 *
 * @since 0.1.0
 * @category wire
 */
export const CreateVariableBody = Schema.Struct({ name: VariableName, ...wireFields }).pipe(
  Schema.filter(valueMatchesType, typeMismatch),
  Schema.annotations({ identifier: "CreateVariableBody", parseOptions: { errors: "all" } })
)

/**
 * The update body as it travels, for the contract (see {@link CreateVariableBody}).
 *
 * @since 0.1.0
 * @category wire
 */
export const UpdateVariableBody = Schema.Struct(wireFields).pipe(
  Schema.filter(valueMatchesType, typeMismatch),
  Schema.annotations({ identifier: "UpdateVariableBody", parseOptions: { errors: "all" } })
)
