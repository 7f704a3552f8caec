// The emulator's Organization variables area, without HTTP: licence-gated custom variables with history, system
// variables, and the pure operations behind the handlers. Imports `effect`, api/, domain/, MakeError and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, DateTime, Option, Result } from "effect"
import { VariableEnvelope, VariableHistory, VariableList } from "../../api/OrganizationVariablesApi.js"
import type { OrganizationVariable, VariableHistoryEntry } from "../../domain/OrganizationVariable.js"
import type * as MakeError from "../../MakeError.js"
import { bareNotFound, invalidRequest, notConfirmed } from "./Errors.js"
import type { AuthorRecord, OrganizationRecord, VariableChange, VariableRecord } from "./Records.js"
import { type Data, findOrganization, inOrganization, keys, lookup, put, remove } from "./Store.js"
import { checked, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * A custom variable of an organization by name (one index lookup).
 *
 * @since 1.0.0
 * @category queries
 */
export const findVariable = (data: Data, organizationId: number, name: string): Option.Option<VariableRecord> =>
  lookup(data.variables, keys.variable({ organizationId, name }))

/**
 * A variable's value and type, in wire form.
 *
 * @since 1.0.0
 * @category models
 */
export type TypedValue = Pick<VariableRecord, "typeId" | "value">

/**
 * Who changes something, and when (ISO 8601 from the Clock).
 *
 * @since 1.0.0
 * @category models
 */
export interface Change {
  readonly author: AuthorRecord
  readonly timestamp: string
}

/**
 * Adds a custom variable with its first history entry (the caller has checked that the name is free).
 *
 * @since 1.0.0
 * @category operations
 */
export const addVariable = (organizationId: number, name: string, typed: TypedValue, change: Change) =>
(
  data: Data
): readonly [VariableRecord, Data] => {
  const entry: VariableChange = {
    id: data.counters.historyEntry,
    timestamp: change.timestamp,
    author: change.author,
    change: { _tag: "Created", value: typed.value }
  }
  const variable: VariableRecord = { organizationId, name, typeId: typed.typeId, value: typed.value, history: [entry] }
  return [variable, {
    ...data,
    variables: put(data.variables, variable),
    counters: { ...data.counters, historyEntry: entry.id + 1 }
  }]
}

/**
 * Sets a custom variable's type and value, appending a history entry from the old value to the new one.
 *
 * @since 1.0.0
 * @category operations
 */
export const updateVariable = (variable: VariableRecord, typed: TypedValue, change: Change) =>
(
  data: Data
): readonly [VariableRecord, Data] => {
  const entry: VariableChange = {
    id: data.counters.historyEntry,
    timestamp: change.timestamp,
    author: change.author,
    change: { _tag: "Updated", originalValue: variable.value, newValue: typed.value }
  }
  const updated: VariableRecord = {
    ...variable,
    typeId: typed.typeId,
    value: typed.value,
    history: Arr.append(variable.history, entry)
  }
  return [updated, {
    ...data,
    variables: put(data.variables, updated),
    counters: { ...data.counters, historyEntry: entry.id + 1 }
  }]
}

/**
 * Removes a custom variable and its history.
 *
 * @since 1.0.0
 * @category operations
 */
export const removeVariable = (organizationId: number, name: string) => (data: Data): Data => ({
  ...data,
  variables: remove(data.variables, keys.variable({ organizationId, name }))
})

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

type VariableWire = typeof OrganizationVariable.Encoded
type HistoryEntryWire = typeof VariableHistoryEntry.Encoded

/**
 * A custom organization variable.
 *
 * @since 1.0.0
 * @category wire
 */
export const variableBody = (variable: VariableRecord): VariableWire => ({
  name: variable.name,
  typeId: variable.typeId,
  value: variable.value,
  isSystem: false
})

/**
 * The system variables of an organization, derived from it (so they follow a rename): `$organizationId` (number)
 * and `$organizationName` (string). Read-only; listed whatever the licence.
 *
 * @since 1.0.0
 * @category wire
 */
export const systemVariables = (org: OrganizationRecord): ReadonlyArray<VariableWire> => [
  { name: "$organizationId", typeId: 1, value: org.id, isSystem: true },
  { name: "$organizationName", typeId: 2, value: org.name, isSystem: true }
]

const systemVariableNames: ReadonlyArray<string> = ["$organizationId", "$organizationName"]

const isSystemVariableName = (name: string): boolean => systemVariableNames.includes(name)

/**
 * A variable's history, newest first. An update shows `originalValue` and `newValue`; the creation (the only entry
 * of a variable never updated) shows the `value` it was created with, which for such a variable is its current value.
 *
 * @since 1.0.0
 * @category wire
 */
export const historyBody = (variable: VariableRecord): ReadonlyArray<HistoryEntryWire> =>
  Arr.reverse(variable.history).map((entry): HistoryEntryWire => {
    const author = { id: entry.author.id, name: entry.author.name, email: entry.author.email }
    const values = entry.change._tag === "Created"
      ? { value: entry.change.value }
      : { originalValue: entry.change.originalValue, newValue: entry.change.newValue }
    return { id: entry.id, diffObject: { ...values, timestamp: entry.timestamp, author } }
  })

// ---------------------------------------------------------------------------
// What each endpoint does to the data
// ---------------------------------------------------------------------------

/** Custom variables need `customVariables: true` in the organization's licence. */
const hasCustomVariables = (org: OrganizationRecord): boolean => org.license.customVariables === true

/**
 * The organization an organization-variable call may change: Make's bare 404 when it is missing or its licence
 * lacks custom variables.
 */
const variableOrganization = (data: Data, id: number): Result.Result<OrganizationRecord, MakeError.NotFound> =>
  Result.filterOrFail(Result.fromOption(findOrganization(data, id), bareNotFound), hasCustomVariables, bareNotFound)

const requireVariable = (
  data: Data,
  organizationId: number,
  name: string
): Result.Result<VariableRecord, MakeError.NotFound> =>
  Result.fromOption(findVariable(data, organizationId, name), bareNotFound)

const systemVariableIsReadOnly = (name: string): MakeError.InvalidRequest =>
  invalidRequest([`variableName: "${name}" is a system variable and cannot be changed`])

/**
 * A request's typed value as the emulator stores it. The contract has already checked that `value` fits `typeId`;
 * a date (a decoded `DateTime`, or its text) is stored in one form (`2026-12-01T09:00:00.000Z`) whatever ISO 8601
 * form it came in, as Make stores dates.
 *
 * @since 1.0.0
 * @category operations
 */
export const wireValue = (input: { readonly typeId: TypedValue["typeId"]; readonly value: unknown }): TypedValue => {
  const value = input.value
  if (input.typeId === 4 && (DateTime.isDateTime(value) || typeof value === "string")) {
    return {
      typeId: 4,
      value: Option.match(DateTime.make(value), { onNone: () => String(value), onSome: DateTime.formatIso })
    }
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    return { typeId: input.typeId, value }
  }
  return { typeId: input.typeId, value: String(value) }
}

/** A value as stored: a primitive as it is, a decoded date as its ISO text. */
const asStored = (value: unknown): VariableRecord["value"] =>
  typeof value === "number" || typeof value === "string" || typeof value === "boolean"
    ? value
    : DateTime.isDateTime(value)
    ? DateTime.formatIso(value)
    : String(value)

/**
 * A variable after a PATCH, as Make's docs describe it: with both fields, the contract has checked that they match;
 * with only `value` or only `typeId`, Make does no type check, so the variable may end up holding a value of another
 * type than its `typeId` says (the client decodes it as a `MismatchedVariable`).
 *
 * @since 1.0.0
 * @category operations
 */
export const patchedValue = (
  current: VariableRecord,
  patch: { readonly typeId?: TypedValue["typeId"] | undefined; readonly value?: unknown }
): TypedValue => {
  if (patch.typeId !== undefined && patch.value !== undefined) {
    return wireValue({ typeId: patch.typeId, value: patch.value })
  }
  // Only a value: stored as sent (no type check, no date normalisation), as Effect 3's emulator does.
  if (patch.value !== undefined) return { typeId: current.typeId, value: asStored(patch.value) }
  return { typeId: patch.typeId ?? current.typeId, value: current.value }
}

/**
 * `GET /organizations/{id}/variables`: the system variables, plus the custom ones when the licence has
 * `customVariables`; a missing organization is its 404 (the organization's, not the bare one).
 *
 * @example
 * ```ts
 * import { listVariables } from "effect-make/testing/emulator/Variables"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const body = listVariables(data, 11)
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export const listVariables = (
  data: Data,
  organizationId: number
): Result.Result<{ readonly organizationVariables: ReadonlyArray<VariableWire> }, MakeError.NotFound> =>
  Result.map(requireOrganization(data, organizationId), (org) => {
    const custom = hasCustomVariables(org) ? inOrganization(data.variables, org.id).map(variableBody) : []
    return checked(VariableList, { organizationVariables: [...systemVariables(org), ...custom] })
  })

/**
 * `POST /organizations/{id}/variables`, made by `change.author` at `change.timestamp`: a name already taken (a
 * system variable's included) is a 400; a missing organization or a licence without custom variables the bare 404.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const createVariable = (
  organizationId: number,
  input: { readonly name: string; readonly typeId: TypedValue["typeId"]; readonly value: unknown },
  change: Change
) =>
(
  data: Data
): Result.Result<
  readonly [{ readonly organizationVariable: VariableWire }, Data],
  MakeError.NotFound | MakeError.InvalidRequest
> =>
  Result.flatMap(variableOrganization(data, organizationId), (org) => {
    if (isSystemVariableName(input.name) || Option.isSome(findVariable(data, org.id, input.name))) {
      return Result.fail(invalidRequest([`name: a variable named "${input.name}" already exists`]))
    }
    const [variable, next] = addVariable(org.id, input.name, wireValue(input), change)(data)
    return Result.succeed([checked(VariableEnvelope, { organizationVariable: variableBody(variable) }), next] as const)
  })

/**
 * `PATCH /organizations/{id}/variables/{name}`: a system variable is read-only (400); see {@link patchedValue}.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const patchVariable = (
  organizationId: number,
  name: string,
  patch: { readonly typeId?: TypedValue["typeId"] | undefined; readonly value?: unknown },
  change: Change
) =>
(
  data: Data
): Result.Result<
  readonly [{ readonly organizationVariable: VariableWire }, Data],
  MakeError.NotFound | MakeError.InvalidRequest
> =>
  Result.gen(function*() {
    const org = yield* variableOrganization(data, organizationId)
    if (isSystemVariableName(name)) return yield* Result.fail(systemVariableIsReadOnly(name))
    const current = yield* requireVariable(data, org.id, name)
    const [variable, next] = updateVariable(current, patchedValue(current, patch), change)(data)
    return [checked(VariableEnvelope, { organizationVariable: variableBody(variable) }), next] as const
  })

/**
 * `DELETE /organizations/{id}/variables/{name}`: needs `confirmed=true` (406 `IM004` otherwise, nothing deleted);
 * answers Make's `{"organizationVariable": <name>}`.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const deleteVariable = (organizationId: number, name: string, confirmed: boolean) =>
(
  data: Data
): Result.Result<
  readonly [{ readonly organizationVariable: string }, Data],
  MakeError.NotFound | MakeError.NotConfirmed | MakeError.InvalidRequest
> =>
  Result.gen(function*() {
    const org = yield* variableOrganization(data, organizationId)
    if (isSystemVariableName(name)) return yield* Result.fail(systemVariableIsReadOnly(name))
    const variable = yield* requireVariable(data, org.id, name)
    if (!confirmed) {
      return yield* Result.fail(notConfirmed(
        `Deleting the variable "${variable.name}" breaks the scenarios that use it. ` +
          "Set confirmed=true to delete it anyway.",
        "variable",
        variable.name
      ))
    }
    return [{ organizationVariable: variable.name }, removeVariable(org.id, variable.name)(data)] as const
  })

/**
 * `GET /organizations/{id}/variables/{name}/history`: newest first.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const variableHistory = (
  data: Data,
  organizationId: number,
  name: string
): Result.Result<{ readonly history: ReadonlyArray<HistoryEntryWire> }, MakeError.NotFound> =>
  Result.gen(function*() {
    const org = yield* variableOrganization(data, organizationId)
    const variable = yield* requireVariable(data, org.id, name)
    return checked(VariableHistory, { history: historyBody(variable) })
  })
