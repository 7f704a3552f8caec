// How the `effect-make` command writes: tables for lists (aligned with @effect/printer, coloured only on a TTY without
// NO_COLOR), key/value tables for one value, one JSON document with --json. Floor 6: imports effect and printers only.
/**
 * @since 0.1.0
 */
import * as Ansi from "@effect/printer-ansi/Ansi"
import * as AnsiDoc from "@effect/printer-ansi/AnsiDoc"
import * as Doc from "@effect/printer/Doc"
import { Context, DateTime, Effect, Layer, Predicate } from "effect"

/**
 * Where the command writes, and whether it may colour: a TTY without `NO_COLOR`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly stdout: (text: string) => Effect.Effect<void>
  readonly stderr: (text: string) => Effect.Effect<void>
  /** Writes to stderr as is, no newline: the live progress line. */
  readonly stderrInline: (text: string) => Effect.Effect<void>
  readonly colour: boolean
  readonly tty: boolean
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Output extends Context.Tag("effect-make/cli/Output")<Output, Service>() {}

/**
 * The process's stdout and stderr.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerProcess: Layer.Layer<Output> = Layer.sync(Output, () => {
  const tty = process.stdout.isTTY === true
  const noColour = process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== ""
  return {
    stdout: (text) => Effect.sync(() => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`)),
    stderr: (text) => Effect.sync(() => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`)),
    stderrInline: (text) => Effect.sync(() => void process.stderr.write(text)),
    colour: tty && !noColour,
    tty
  }
})

/**
 * An in-memory output (for tests): what was written to each stream.
 *
 * @since 0.1.0
 * @category layers
 */
export const makeMemory = (options?: { readonly colour?: boolean; readonly tty?: boolean }) => {
  const out: Array<string> = []
  const err: Array<string> = []
  const layer = Layer.succeed(Output, {
    stdout: (text) => Effect.sync(() => void out.push(text.endsWith("\n") ? text : `${text}\n`)),
    stderr: (text) => Effect.sync(() => void err.push(text.endsWith("\n") ? text : `${text}\n`)),
    stderrInline: (text) => Effect.sync(() => void err.push(text)),
    colour: options?.colour ?? false,
    tty: options?.tty ?? false
  })
  return { layer, stdout: () => out.join(""), stderr: () => err.join("") }
}

/**
 * Writes a line to stdout.
 *
 * @since 0.1.0
 * @category output
 */
export const stdout = (text: string): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Output, (o) => o.stdout(text))

/**
 * Writes a line to stderr.
 *
 * @since 0.1.0
 * @category output
 */
export const stderr = (text: string): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Output, (o) => o.stderr(text))

/**
 * A value as the JSON the command prints: `DateTime`s as ISO strings, `Redacted` never unwrapped.
 *
 * @since 0.1.0
 * @category output
 */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (DateTime.isDateTime(v) ? DateTime.formatIso(v) : v))

/** One cell: scalars as text, the rest as compact JSON. */
export const cell = (value: unknown): string => {
  if (value === undefined || value === null) return ""
  if (Predicate.isString(value)) return value
  if (Predicate.isNumber(value) || Predicate.isBoolean(value) || Predicate.isBigInt(value)) return String(value)
  if (DateTime.isDateTime(value)) return DateTime.formatIso(value)
  if (value instanceof Date) return value.toISOString()
  return toJson(value)
}

/**
 * An aligned table: a header row (bold when colour is on) and one row per record.
 *
 * @since 0.1.0
 * @category output
 */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  colour: boolean
): string => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>, style?: Ansi.Ansi): Doc.Doc<Ansi.Ansi> =>
    Doc.hsep(cells.map((text, i) => {
      const padded = Doc.fill(Doc.text(text), i === cells.length - 1 ? 0 : (widths[i] ?? 0) + 1)
      return style === undefined ? padded : Doc.annotate(padded, style)
    }))
  const doc = Doc.vsep([line(header, Ansi.combine(Ansi.bold, Ansi.cyan)), ...rows.map((row) => line(row))])
  const rendered = colour
    ? AnsiDoc.render(doc, { style: "pretty" })
    : Doc.render(Doc.unAnnotate(doc), { style: "pretty" })
  return rendered.split("\n").map((l) => l.trimEnd()).join("\n")
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  Predicate.isObject(value) && !Array.isArray(value) && !DateTime.isDateTime(value)

/** The columns of a list: the keys of its records, in first-seen order, nested objects left out. */
const columnsOf = (items: ReadonlyArray<unknown>): ReadonlyArray<string> => {
  const columns: Array<string> = []
  for (const item of items) {
    if (!isRecord(item)) continue
    for (const [key, value] of Object.entries(item)) {
      if (!columns.includes(key) && (!Predicate.isObject(value) || DateTime.isDateTime(value))) columns.push(key)
    }
  }
  return columns
}

/**
 * A result for people: a list as a table, a record as `key  value` rows, a scalar as itself.
 *
 * @since 0.1.0
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
 * @since 0.1.0
 * @category output
 */
export const result = (value: unknown, json: boolean): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Output, (o) =>
    json
      ? o.stdout(toJson(value === undefined ? { ok: true } : value))
      : o.stdout(value === undefined ? "ok" : human(value, o.colour)))
