// A transport failure as fetch reports it (`TypeError "fetch failed"` with the system error code as its cause), for
// scripted HttpClients in the retry tests.
import { HttpClientError, type HttpClientRequest } from "@effect/platform"

/** The `RequestError` a request that met `code` (`ECONNREFUSED`, `ECONNRESET`, ...) fails with. */
export const transportFailure = (request: HttpClientRequest.HttpClientRequest, code: string) =>
  new HttpClientError.RequestError({
    request,
    reason: "Transport",
    cause: new TypeError("fetch failed", { cause: { code } }),
    description: `fetch failed (${code})`
  })
