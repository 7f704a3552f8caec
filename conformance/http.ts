// A minimal HTTP client for the conformance suite (fetch only) and the matchers its tests share.
// Imports vitest's `expect` and ./lines.ts; no `effect`: the suite checks the wire, not a client.
import { expect } from "vitest"
import type { RunningEmulator } from "./lines.js"

/** What came back: status, headers, the body parsed as JSON (the raw text when it is not JSON). */
export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
  readonly text: string
}

export interface Call {
  /** Query pairs, sent in order (repeat a key for `cols[]`). */
  readonly query?: ReadonlyArray<readonly [string, string]>
  /** A JSON body (sent as `application/json`). */
  readonly body?: unknown
  /** The token to send: the emulator's by default, `null` for no `Authorization` header. */
  readonly token?: string | null
}

/** `method path` against the emulator's API base (`/api/v2`), with `Authorization: Token …`. */
export const call = async (
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: Call = {}
): Promise<Answer> => {
  const url = new URL(`${emulator.api}${path}`)
  for (const [key, value] of options.query ?? []) url.searchParams.append(key, value)
  const headers: Record<string, string> = {}
  const token = options.token === undefined ? emulator.token : options.token
  if (token !== null) headers["authorization"] = `Token ${token}`
  if (options.body !== undefined) headers["content-type"] = "application/json"
  const response = await fetch(url, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: parse(text), text }
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** An ISO 8601 timestamp as Make sends it (`1998-03-06T12:31:00.000Z`). */
export const isoTimestamp = (): unknown => expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)

/** Make's error body. */
export const errorBody = (code: string, message: string, detail: string) => ({ detail, message, code })

/** 404 for an organization that does not exist. */
export const organizationNotFound = errorBody("SC404", "Not found", "Organization not found.")

/** The bare 404 Make answers where it tells nothing apart (a licence without custom variables, a missing variable). */
export const bareNotFound = errorBody("SC404", "Not found", "Not found.")

/** 401 for a missing or wrong token. */
export const unauthorized = errorBody("SC401", "Access denied", "Invalid credentials.")

/**
 * Asserts a validation 400: Make's error body with `suberrors` (one `{ message }` each), and returns the messages.
 * The wording of each message is the line's own; callers check which fields they name.
 */
export const expectValidationError = (answer: Answer): ReadonlyArray<string> => {
  expect(answer.status, answer.text).toBe(400)
  expect(answer.body).toEqual({
    detail: expect.stringMatching(/^Validation failed for \d+ parameter\(s\)\.$/),
    message: "Bad request",
    code: "IM015",
    suberrors: expect.any(Array)
  })
  const suberrors = at(answer.body, "suberrors")
  const messages = Array.isArray(suberrors) ? suberrors.map((suberror: unknown) => at(suberror, "message")) : []
  expect(messages.length).toBeGreaterThan(0)
  return messages.map((message) => (typeof message === "string" ? message : expect.fail(`suberror ${message}`)))
}

/** The value at `path` in a parsed JSON body, `undefined` where there is none. */
export const at = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (current, key) => typeof current === "object" && current !== null ? Reflect.get(current, key) : undefined,
    value
  )

/** The field names the suberrors start with (`name: is missing` → `name`). */
export const fieldsNamed = (messages: ReadonlyArray<string>): ReadonlySet<string> =>
  new Set(messages.map((message) => message.split(":")[0] ?? message))
