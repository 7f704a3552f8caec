// What plan and provision do first: the spec and the options checked, and the key every run of them shares; and what
// the engine may tell plan of earlier runs. The workflows: imports `effect`, workflows/.
/**
 * @since 1.0.0
 * @internal
 */
import { Context, Effect, Schema } from "effect"
import type * as MakeError from "../../MakeError.js"
import { type Options, resolveOptions, type RunOptions } from "../ProvisionOptions.js"
import * as ProvisionSpec from "../ProvisionSpec.js"

/**
 * An invitation a run sent, by organization id: what Make cannot list (it lists no pending invitations).
 *
 * @internal
 */
export const Invited = Schema.Struct({ organizationId: Schema.Number, email: Schema.String })

/**
 * The spec, its options and its key, checked: what every generation of its runs shares.
 *
 * @internal
 */
export interface Prepared {
  readonly spec: ProvisionSpec.ProvisionSpec
  readonly options: RunOptions
  /** The canonical JSON of the encoded spec and options. */
  readonly specKey: string
}

/**
 * Checks the spec and the options (`InvalidInput` listing every problem, before any request) and derives their key.
 *
 * @internal
 */
export const prepare = (
  spec: ProvisionSpec.ProvisionSpec,
  options?: Options
): Effect.Effect<Prepared, MakeError.InvalidInput> =>
  Effect.gen(function*() {
    const valid = yield* ProvisionSpec.validate(spec)
    const runOptions = yield* resolveOptions(options)
    const encoded = yield* ProvisionSpec.encode(valid)
    return {
      spec: valid,
      options: runOptions,
      specKey: ProvisionSpec.canonicalJson({ spec: encoded, options: runOptions })
    }
  })

/**
 * The invitations earlier runs of a spec (and options) sent. On Effect 3, `plan` asked the workflow engine directly
 * when one was in context; here the engine's layer provides this service (the workflows layer, ported with the
 * engine), so that `plan` stays free of the engine and, without it, counts no invitation as sent.
 *
 * @internal
 */
export class PreviousInvitations extends Context.Service<
  PreviousInvitations,
  (prepared: Prepared) => Effect.Effect<ReadonlyArray<typeof Invited.Type>>
>()("effect-make/workflows/PreviousInvitations") {}
