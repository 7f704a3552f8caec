// A method's argument check, made once: the schema's type side, every wrong place listed, and the limits any
// argument must meet whatever its schema. Floor 2 (internal): imports `effect`, MakeError and ./valueLimits.
/**
 * @since 1.0.0
 * @internal
 */
import { Result, Schema } from "effect"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"
import * as MakeError from "../MakeError.js"
import * as Limits from "./valueLimits.js"

/**
 * Validates against the schema's type side (a DateTime, not its ISO string; refinements included) and fails with
 * `InvalidInput` naming every wrong place, before anything is sent. Whatever the schema, every string in the
 * arguments (in arrays and plain objects, keys included) must be well-formed UTF-16: a lone surrogate (`"\ud800"`)
 * would be sent as U+FFFD, so it is refused too, and so are arguments nested more than 128 levels deep. The answer is
 * a `Result`: checked at once, no step of the runtime.
 *
 * @internal
 */
export const validator = <A>(
  operation: string,
  schema: Schema.Codec<A, unknown>
): (input: unknown) => Result.Result<A, MakeError.InvalidInput> => {
  // Compiled once, by Schema's own parser, JIT-compiled: a valid argument (the usual case) is checked in one pass that
  // stops at the first issue; only a wrong one is checked again with every issue listed (Schema's generated code
  // does not run `errors: "all"`, so that pass is the interpreted one).
  const type = Schema.toType(schema)
  SchemaJITCompiler.enable(type.ast)
  const first = Schema.decodeUnknownResult(type)
  const all = Schema.decodeUnknownResult(type, { errors: "all" })
  const check = (input: unknown) => {
    const result = first(input)
    return Result.isSuccess(result) ? result : all(input)
  }
  const invalid = (issues: ReadonlyArray<string>) => Result.fail(new MakeError.InvalidInput({ operation, issues }))
  const validate = (input: unknown): Result.Result<A, MakeError.InvalidInput> => {
    // First, as the schema's checks are not safe on a value nested thousands deep, nor is the JSON of a body that
    // holds one.
    if (!Limits.isShallow(input)) return invalid([Limits.tooDeepArgument])
    const result = check(input)
    if (Result.isFailure(result)) return Result.fail(MakeError.invalidInput(operation, result.failure))
    // Every string of the arguments, wherever the schema puts it (a path, the query, a body): one with a lone
    // surrogate would reach Make as U+FFFD, another text than the one given, so it is refused like any bad argument.
    if (Limits.isWellFormed(input)) return Result.succeed(result.success)
    return invalid(Limits.illFormedStrings(input).map(Limits.describeIllFormed))
  }
  return (input) => {
    // A getter or a Proxy trap of a JavaScript caller's argument may throw while it is read: that is a bad argument
    // too, never an exception out of the method call. What it threw is not shown (it may be anything).
    try {
      return validate(input)
    } catch {
      return invalid([unreadableArgument])
    }
  }
}

/**
 * The issue of an argument that throws when it is read (a getter, a Proxy trap).
 *
 * @internal
 */
export const unreadableArgument = "could not be read: reading it threw (a getter or a Proxy)"
