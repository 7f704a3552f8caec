// The wire body of an error that came from a response: what the emulator answers with to sound like Make.
// Floor 1 (internal, for the emulator): imports only `domain/ErrorBody` (types).
/**
 * @since 1.0.0
 * @internal
 */
import type { ErrorBody, Suberror } from "../domain/ErrorBody.js"

/**
 * The wire body of an error that came from a response (`_tag` and the client-side fields left out); `message` falls
 * back to the detail, as Make's own bodies always carry one.
 *
 * @internal
 */
export const toBody = (error: {
  readonly detail: string
  readonly title?: string | undefined
  readonly code?: string | undefined
  readonly suberrors?: ReadonlyArray<Suberror> | undefined
}): ErrorBody => ({
  detail: error.detail,
  message: error.title ?? error.detail,
  ...(error.code === undefined ? {} : { code: error.code }),
  ...(error.suberrors === undefined || error.suberrors.length === 0 ? {} : { suberrors: error.suberrors })
})
