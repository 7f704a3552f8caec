// How the `effect-make` command writes: tables for lists (aligned, coloured only on a TTY without NO_COLOR), key/value
// tables for one value, one JSON document with --json. Floor "the command": imports effect only.
/**
 * Where the `effect-make` command writes, and how it shows a result: an aligned table for people, JSON for programs.
 *
 * @since 1.0.0
 */
import { Context, DateTime, Effect, Layer, Predicate, Redacted } from "effect"

/**
 * Where the command writes, and whether it may colour: a TTY without `NO_COLOR`.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service {
  readonly stdout: (text: string) => Effect.Effect<void>
  readonly stderr: (text: string) => Effect.Effect<void>
  /** Writes to stderr as is, no newline added: a status line redrawn in place (`\r`, erase to the end). */
  readonly stderrInline: (text: string) => Effect.Effect<void>
  readonly colour: boolean
  readonly tty: boolean
}

/**
 * @since 1.0.0
 * @category services
 */
export class Output extends Context.Service<Output, Service>()("effect-make/cli/Output") {}

/** A line as written: one newline at its end, whether the text had it or not. */
const line = (text: string): string => text.endsWith("\n") ? text : `${text}\n`

/**
 * The process's stdout and stderr.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Output from "effect-make/cli/Output"
 *
 * Effect.runSync(Output.stdout("ok").pipe(Effect.provide(Output.layerProcess)))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerProcess: Layer.Layer<Output> = Layer.sync(Output, () => {
  const tty = process.stdout.isTTY === true
  const noColour = process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== ""
  return {
    stdout: (text) => Effect.sync(() => void process.stdout.write(line(text))),
    stderr: (text) => Effect.sync(() => void process.stderr.write(line(text))),
    stderrInline: (text) => Effect.sync(() => void process.stderr.write(text)),
    colour: tty && !noColour,
    tty
  }
})

/**
 * An in-memory output (for tests): what was written to each stream.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Output from "effect-make/cli/Output"
 *
 * const memory = Output.makeMemory()
 * Effect.runSync(Output.stderr("hello").pipe(Effect.provide(memory.layer)))
 * memory.stderr() // "hello\n"
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const makeMemory = (options?: { readonly colour?: boolean; readonly tty?: boolean }) => {
  const out: Array<string> = []
  const err: Array<string> = []
  const layer = Layer.succeed(Output, {
    stdout: (text) => Effect.sync(() => void out.push(line(text))),
    stderr: (text) => Effect.sync(() => void err.push(line(text))),
    stderrInline: (text) => Effect.sync(() => void err.push(text)),
    colour: options?.colour ?? false,
    tty: options?.tty ?? false
  })
  return { layer, stdout: () => out.join(""), stderr: () => err.join("") }
}

/**
 * Writes a line to stdout.
 *
 * @example
 * ```ts
 * import * as Output from "effect-make/cli/Output"
 *
 * const said = Output.stdout("ok")
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const stdout = (text: string): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Effect.service(Output), (o) => o.stdout(text))

/**
 * Writes a line to stderr.
 *
 * @example
 * ```ts
 * import * as Output from "effect-make/cli/Output"
 *
 * const said = Output.stderr("No token: using the embedded Make emulator.")
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const stderr = (text: string): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Effect.service(Output), (o) => o.stderr(text))

/**
 * A value as the JSON the command prints: `DateTime`s as ISO strings, `Redacted` never unwrapped.
 *
 * @example
 * ```ts
 * import * as Output from "effect-make/cli/Output"
 *
 * Output.toJson({ id: 11 }) // '{"id":11}'
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const toJson = (value: unknown): string =>
  JSON.stringify(
    value,
    (_key, v: unknown) => DateTime.isDateTime(v) ? DateTime.formatIso(v) : Redacted.isRedacted(v) ? String(v) : v
  )

/**
 * One cell: scalars as text, the rest as compact JSON.
 *
 * @example
 * ```ts
 * import * as Output from "effect-make/cli/Output"
 *
 * Output.cell(true) // "true"
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const cell = (value: unknown): string => {
  if (value === undefined || value === null) return ""
  if (Predicate.isString(value)) return value
  if (Predicate.isNumber(value) || Predicate.isBoolean(value) || Predicate.isBigInt(value)) return String(value)
  if (DateTime.isDateTime(value)) return DateTime.formatIso(value)
  if (value instanceof Date) return value.toISOString()
  return toJson(value)
}

/** The header's style when colour is on: bold cyan, as the Effect 3 command's printer drew it. */
const headerStyle = (text: string): string => `\u001b[1;36m${text}\u001b[0m`

/**
 * An aligned table: a header row (bold cyan when colour is on) and one row per record. Every column but the last is
 * padded to its widest cell, and columns are two spaces apart; no line ends in spaces.
 *
 * @example
 * ```ts
 * import * as Output from "effect-make/cli/Output"
 *
 * Output.table(["id", "name"], [["11", "Acme"]], false) // "id  name\n11  Acme"
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  colour: boolean
): string => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)))
  const render = (cells: ReadonlyArray<string>, style?: (text: string) => string): string =>
    cells.map((text, i) => {
      const padded = i === cells.length - 1 ? text : text.padEnd((widths[i] ?? 0) + 1)
      return style === undefined ? padded : style(padded)
    }).join(" ").trimEnd()
  return [render(header, colour ? headerStyle : undefined), ...rows.map((row) => render(row))].join("\n")
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  Predicate.isObject(value) && !Array.isArray(value) && !DateTime.isDateTime(value)

/** The columns of a list: the keys of its records, in first-seen order, nested objects and arrays left out. */
const columnsOf = (items: ReadonlyArray<unknown>): ReadonlyArray<string> => {
  const columns: Array<string> = []
  for (const item of items) {
    if (!isRecord(item)) continue
    for (const [key, value] of Object.entries(item)) {
      // Effect 4's `isObject` lets arrays through: a list in a cell (an organization's privateSpaces) stays out
      if (!columns.includes(key) && (!Predicate.isObjectKeyword(value) || DateTime.isDateTime(value))) {
        columns.push(key)
      }
    }
  }
  return columns
}

/**
 * A result for people: a list as a table, a record as `field  value` rows, a scalar as itself.
 *
 * @example
 * ```ts
 * import * as Output from "effect-make/cli/Output"
 *
 * Output.human([{ id: 11, name: "Acme" }], false) // "id  name\n11  Acme"
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const human = (value: unknown, colour: boolean): string => {
  if (Array.isArray(value)) {
    if (value.length === 0) return "(none)"
    const columns = columnsOf(value)
    if (columns.length === 0) return value.map(cell).join("\n")
    return table(columns, value.map((item) => columns.map((c) => (isRecord(item) ? cell(item[c]) : ""))), colour)
  }
  if (isRecord(value)) {
    if ("items" in value && Array.isArray(value["items"])) return human(value["items"], colour)
    return table(["field", "value"], Object.entries(value).map(([k, v]) => [k, cell(v)]), colour)
  }
  return cell(value)
}

/**
 * Prints a command's result: one JSON document with `--json`, else {@link human}. `void` prints `ok`.
 *
 * @example
 * ```ts
 * import * as Output from "effect-make/cli/Output"
 *
 * const printed = Output.result({ hasPermission: true }, true) // {"hasPermission":true}
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const result = (value: unknown, json: boolean): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Effect.service(Output), (o) =>
    json
      ? o.stdout(toJson(value === undefined ? { ok: true } : value))
      : o.stdout(value === undefined ? "ok" : human(value, o.colour)))
