// The emulator's Organization variables area: licence-gated custom variables with history, system variables, handlers.
// Imports `effect`, `@effect/platform`, api/, domain/, MakeError and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpApiBuilder } from "@effect/platform"
import { Array as Arr, DateTime, Effect, Either, Option, type Schema } from "effect"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import { VariableEnvelope, VariableHistory, VariableList } from "../../api/OrganizationVariablesApi.js"
import type { OrganizationVariable, VariableHistoryEntry } from "../../domain/OrganizationVariable.js"
import type * as MakeError from "../../MakeError.js"
import { bareNotFound, invalidRequest, notConfirmed } from "./Errors.js"
import { tokenUser } from "./Options.js"
import type { AuthorRecord, OrganizationRecord, VariableChange, VariableRecord } from "./Records.js"
import {
  commit,
  type Data,
  type EmulatorState,
  findOrganization,
  inOrganization,
  keys,
  lookup,
  put,
  remove,
  snapshot,
  transact
} from "./Store.js"
import { answer, answerVoid, nowIso, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * A custom variable of an organization by name (one index lookup).
 *
 * @since 0.1.0
 * @category queries
 */
export const findVariable = (data: Data, organizationId: number, name: string): Option.Option<VariableRecord> =>
  lookup(data.variables, keys.variable({ organizationId, name }))

/**
 * A variable's value and type, in wire form.
 *
 * @since 0.1.0
 * @category models
 */
export type TypedValue = Pick<VariableRecord, "typeId" | "value">

/**
 * Who changes something, and when (ISO 8601 from the Clock).
 *
 * @since 0.1.0
 * @category models
 */
export interface Change {
  readonly author: AuthorRecord
  readonly timestamp: string
}

/**
 * Adds a custom variable with its first history entry (the caller has checked that the name is free).
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category operations
 */
export const removeVariable = (organizationId: number, name: string) => (data: Data): Data => ({
  ...data,
  variables: remove(data.variables, keys.variable({ organizationId, name }))
})

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

type VariableWire = Schema.Schema.Encoded<typeof OrganizationVariable>
type HistoryEntryWire = Schema.Schema.Encoded<typeof VariableHistoryEntry>

/**
 * A custom organization variable.
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
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
// Handlers
// ---------------------------------------------------------------------------

/** Custom variables need `customVariables: true` in the organization's licence. */
const hasCustomVariables = (org: OrganizationRecord): boolean => org.license.customVariables === true

/**
 * The organization an organization-variable call may change: Make's bare 404 when it is missing or its licence
 * lacks custom variables.
 */
const variableOrganization = (data: Data, id: number): Either.Either<OrganizationRecord, MakeError.NotFound> =>
  Either.filterOrLeft(
    Either.fromOption(findOrganization(data, id), bareNotFound),
    hasCustomVariables,
    bareNotFound
  )

const requireVariable = (
  data: Data,
  organizationId: number,
  name: string
): Either.Either<VariableRecord, MakeError.NotFound> =>
  Either.fromOption(findVariable(data, organizationId, name), bareNotFound)

const systemVariableIsReadOnly = (name: string): MakeError.InvalidRequest =>
  invalidRequest([`variableName: "${name}" is a system variable and cannot be changed`])

/**
 * A request's typed value as the emulator stores it. The contract has already checked that `value` fits `typeId`;
 * a date is stored in one form (`2026-12-01T09:00:00.000Z`) whatever ISO 8601 form it came in, as Make stores
 * dates. The value is taken as `unknown` so that a decoded `DateTime` would be stored the same way.
 */
const wireValue = (input: { readonly typeId: TypedValue["typeId"]; readonly value: unknown }): TypedValue => {
  const value = input.value
  if (input.typeId === 4 && (DateTime.isDateTime(value) || typeof value === "string")) {
    return {
      typeId: 4,
      value: Option.match(DateTime.make(value), {
        onNone: () => String(value),
        onSome: DateTime.formatIso
      })
    }
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    return { typeId: input.typeId, value }
  }
  return { typeId: input.typeId, value: String(value) }
}

/**
 * A variable after a PATCH, as Make's docs describe it: with both fields, the contract has checked that they match;
 * with only `value` or only `typeId`, Make does no type check, so the variable may end up holding a value of another
 * type than its `typeId` says (the client decodes it as a `MismatchedVariable`).
 */
const patchedValue = (
  current: VariableRecord,
  patch: { readonly typeId?: TypedValue["typeId"] | undefined; readonly value?: VariableRecord["value"] | undefined }
): TypedValue => {
  if (patch.typeId !== undefined && patch.value !== undefined) {
    return wireValue({ typeId: patch.typeId, value: patch.value })
  }
  if (patch.value !== undefined) return { typeId: current.typeId, value: patch.value }
  return { typeId: patch.typeId ?? current.typeId, value: current.value }
}

/**
 * The Organization variables group over the state. `list` answers the system variables, plus the custom ones when
 * the licence has `customVariables`; every other call answers Make's bare 404 when the organization is missing,
 * its licence lacks `customVariables`, or the variable is missing.
 *
 * @since 0.1.0
 * @category layers
 */
export const organizationVariablesLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "organizationVariables", (handlers) =>
    handlers
      .handle("list", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, path.organizationId)
          const custom = hasCustomVariables(org) ? inOrganization(data.variables, org.id).map(variableBody) : []
          return answer(VariableList, { organizationVariables: [...systemVariables(org), ...custom] })
        }))
      .handle("create", ({ path, payload }) =>
        Effect.gen(function*() {
          const change: Change = { author: tokenUser(state.settings), timestamp: yield* nowIso }
          const variable = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* variableOrganization(data, path.organizationId)
              if (isSystemVariableName(payload.name) || Option.isSome(findVariable(data, org.id, payload.name))) {
                return yield* Either.left(
                  invalidRequest([`name: a variable named "${payload.name}" already exists`])
                )
              }
              return addVariable(org.id, payload.name, wireValue(payload), change)(data)
            }))
          return answer(VariableEnvelope, { organizationVariable: variableBody(variable) })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const change: Change = { author: tokenUser(state.settings), timestamp: yield* nowIso }
          const variable = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* variableOrganization(data, path.organizationId)
              if (isSystemVariableName(path.variableName)) {
                return yield* Either.left(systemVariableIsReadOnly(path.variableName))
              }
              const current = yield* requireVariable(data, org.id, path.variableName)
              return updateVariable(current, patchedValue(current, payload), change)(data)
            }))
          return answer(VariableEnvelope, { organizationVariable: variableBody(variable) })
        }))
      .handle("delete", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const name = yield* transact(
            state,
            (data): Either.Either<
              readonly [string, Data],
              MakeError.NotFound | MakeError.NotConfirmed | MakeError.InvalidRequest
            > =>
              Either.gen(function*() {
                const org = yield* variableOrganization(data, path.organizationId)
                if (isSystemVariableName(path.variableName)) {
                  return yield* Either.left(systemVariableIsReadOnly(path.variableName))
                }
                const variable = yield* requireVariable(data, org.id, path.variableName)
                if (urlParams.confirmed !== true) {
                  return yield* Either.left(notConfirmed(
                    `Deleting the variable "${variable.name}" breaks the scenarios that use it. Set confirmed=true to delete it anyway.`,
                    "variable",
                    variable.name
                  ))
                }
                return commit(variable.name, removeVariable(org.id, variable.name)(data))
              })
          )
          return answerVoid({ organizationVariable: name })
        }))
      .handle("history", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* variableOrganization(data, path.organizationId)
          const variable = yield* requireVariable(data, org.id, path.variableName)
          return answer(VariableHistory, { history: historyBody(variable) })
        })))
