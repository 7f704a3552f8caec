// Decoder fuzzing: the real fixtures, mutated (a key dropped, a value nulled or retyped, nested up to 5,000 deep,
// duplicate keys, truncated, huge strings, bytes that are not UTF-8), answered by a fixed-response HttpClient to every
// endpoint of every service under the real MakeApi layer. Whatever comes back, a call ends in a value or a typed
// MakeError (UnexpectedResponse on a 2xx), never a defect or a hang. The seed is printed; FUZZ_SEED=<n> replays a run.
// Imports `effect`, `effect/http`, node:fs, node:path and src/ only.
import { describe, expect, it } from "@effect/vitest"
import { Cause, type Context, Duration, Effect, Exit, Layer, Option, Redacted } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import * as AdminTeams from "../../src/AdminTeams.js"
import * as Billing from "../../src/Billing.js"
import * as FeatureControls from "../../src/FeatureControls.js"
import * as Invitations from "../../src/Invitations.js"
import * as MakeApi from "../../src/MakeApi.js"
import * as MakeError from "../../src/MakeError.js"
import * as Organizations from "../../src/Organizations.js"
import * as OrganizationVariables from "../../src/OrganizationVariables.js"
import * as Usage from "../../src/Usage.js"

const seed = Number(process.env["FUZZ_SEED"] ?? Date.now() % 2 ** 31)
const casesPerRun = 2_100

/** mulberry32: a small seeded generator, so that a printed seed replays the same run. */
const generator = (start: number) => {
  let state = start >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <A>(items: ReadonlyArray<A>): A => {
    const item = items[int(0, items.length - 1)]
    if (item === undefined) throw new Error("pick from an empty list")
    return item
  }
  return { next, int, pick }
}
type Generator = ReturnType<typeof generator>

// ---------------------------------------------------------------------------
// Seeds: the real fixtures, and a body of each shape the other endpoints answer with
// ---------------------------------------------------------------------------

const root = join(import.meta.dirname, "../../fixtures/make-api")
const fixtures: ReadonlyArray<unknown> = readdirSync(root, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file): unknown => JSON.parse(readFileSync(join(root, file), "utf8")))

const subscription = { id: 401, priceId: 103, status: "active", createdAt: "2026-01-01T00:00:00.000Z" }
const shapes: ReadonlyArray<unknown> = [
  { subscription },
  { payments: [{ id: 505, priceId: 201, quantity: "1", amount: "34.12", currency: "USD", status: "paid" }] },
  { payment: { id: 505, priceId: 201, quantity: 1, amount: 34.12, currency: "USD", status: "paid" } },
  { variables: [{ name: "dailyLimit", typeId: 1, value: 250 }] },
  { variable: { name: "region", typeId: 2, value: "eu" } },
  { history: [{ id: 1, diffObject: { value: 200, timestamp: "2026-11-01T00:00:00.000Z", author: { id: 1 } } }] },
  { invitation: { hash: "bf1effe1", organizationId: 12, email: "a@b.c", name: "Ann", usersRoleId: 2, teamsId: [] } },
  { userOrganizationRole: { userId: 7, organizationId: 12, usersRoleId: 2 } },
  { data: [{ date: "2026-10-01", operations: 3, dataTransfer: "1024", centicredits: 1 }] },
  { featureControls: [{ id: 3, name: "x", enabled: true }] },
  { apps: [{ name: "app-1", label: "App", version: 1 }] },
  { permission: true },
  { organization: { id: 11, name: "Acme" } }
]
/** A fixture with its long lists cut to three entries: mutating 400 timezones says no more than mutating three. */
const trimmed = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.slice(0, 3).map(trimmed)
    : typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, trimmed(inner)]))
    : value
const seeds = [...fixtures, ...shapes].map(trimmed)

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }

const deepMarker = "@@deep@@"

/** Up to 300 containers of a value, with a setter for each child: where a mutation may strike. */
const slots = (value: Json): Array<{ readonly get: () => Json; readonly set: (v: Json | undefined) => void }> => {
  const found: Array<{ readonly get: () => Json; readonly set: (v: Json | undefined) => void }> = []
  const stack: Array<Json> = [value]
  while (stack.length > 0 && found.length < 300) {
    const node = stack.pop()
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        found.push({ get: () => child, set: (v) => (v === undefined ? node.splice(i, 1) : (node[i] = v)) })
        stack.push(child)
      })
    } else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        found.push({ get: () => child, set: (v) => (v === undefined ? delete node[key] : (node[key] = v)) })
        stack.push(child)
      }
    }
  }
  return found
}

const retype = (value: Json, g: Generator): Json => {
  const options: ReadonlyArray<Json> = [
    typeof value === "number" ? String(value) : g.int(-1e6, 1e6),
    typeof value === "string" ? Number(value) || 0 : "x",
    [value],
    { value },
    g.next() < 0.5,
    typeof value === "string" ? [...value.slice(0, 100)] : "",
    -0.5,
    1e308
  ]
  return g.pick(options)
}

/** One mutation of the parsed value. */
const mutateValue = (value: Json, g: Generator): string => {
  const targets = slots(value)
  const target = targets.length === 0 ? undefined : g.pick(targets)
  const kind = g.int(0, 4)
  if (target === undefined) return JSON.stringify(retype(value, g))
  if (kind === 0) target.set(undefined)
  else if (kind === 1) target.set(null)
  else if (kind === 2) target.set(retype(target.get(), g))
  else if (kind === 3) target.set(deepMarker)
  else target.set("x".repeat(g.pick([1_000, 10_000, 10_000, 100_000, 100_000, 100_000, 1_000_000])))
  const text = JSON.stringify(value)
  if (kind !== 3) return text
  const depth = g.int(10, 5_000)
  const [open, close] = g.next() < 0.5 ? ["[", "]"] : ["{\"a\":", "}"]
  return text.replace(`"${deepMarker}"`, open.repeat(depth) + "1" + close.repeat(depth))
}

/** One mutation of the raw text: duplicate keys, truncation. */
const mutateText = (text: string, g: Generator): string => {
  if (g.next() < 0.5) {
    const at = text.indexOf("{\"")
    return at < 0
      ? text
      : `${text.slice(0, at + 1)}${text.slice(at + 1, text.indexOf(",", at) + 1 || at + 1)}${text.slice(at + 1)}`
  }
  return text.slice(0, g.int(0, text.length))
}

/** The bytes of a body, with bytes that are not UTF-8 spliced in now and then. */
const bytesOf = (text: string, g: Generator): Uint8Array<ArrayBuffer> => {
  const bytes = new TextEncoder().encode(text)
  if (g.next() < 0.85) return bytes
  const at = g.int(0, bytes.length)
  const invalid = [0xff, 0xfe, 0xc3, 0x28, 0x80]
  const spliced = new Uint8Array(bytes.length + invalid.length)
  spliced.set(bytes.subarray(0, at))
  spliced.set(invalid, at)
  spliced.set(bytes.subarray(at), at + invalid.length)
  return spliced
}

const statuses = [200, 200, 200, 200, 200, 201, 204, 400, 401, 403, 404, 406, 409, 429, 500, 502, 503]

// ---------------------------------------------------------------------------
// Every endpoint, as a user calls it
// ---------------------------------------------------------------------------

type Services =
  | Organizations.Organizations
  | AdminTeams.AdminTeams
  | Billing.Billing
  | FeatureControls.FeatureControls
  | Invitations.Invitations
  | OrganizationVariables.OrganizationVariables
  | Usage.Usage

const hash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"
const on = <I, S>(tag: Context.Key<I, S>) => <A, E>(f: (service: S) => Effect.Effect<A, E>) => Effect.flatMap(tag, f)

const orgs = on(Organizations.Organizations)
const teams = on(AdminTeams.AdminTeams)
const billing = on(Billing.Billing)
const features = on(FeatureControls.FeatureControls)
const invitations = on(Invitations.Invitations)
const variables = on(OrganizationVariables.OrganizationVariables)
const usage = on(Usage.Usage)

const endpoints: Record<string, Effect.Effect<unknown, MakeError.MakeError, Services>> = {
  "Organizations.list": orgs((s) => s.list()),
  "Organizations.get": orgs((s) => s.get(11)),
  "Organizations.create": orgs((s) => s.create({ name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 })),
  "Organizations.update": orgs((s) => s.update(11, { name: "Beta" })),
  "Organizations.delete": orgs((s) => s.delete(11, { confirmed: true })),
  "Organizations.apps": orgs((s) => s.apps(11)),
  "Organizations.checkTeamPermission": orgs((s) => s.checkTeamPermission(11, "scenario add")),
  "AdminTeams.list": teams((s) => s.list(11)),
  "AdminTeams.create": teams((s) => s.create({ name: "Ops", organizationId: 11 })),
  "AdminTeams.update": teams((s) => s.update(21, { name: "Ops" })),
  "AdminTeams.delete": teams((s) => s.delete(21)),
  "Billing.payments": billing((s) => s.payments(11)),
  "Billing.createSinglePayment": billing((s) => s.createSinglePayment(11, { priceId: 201, quantity: 1 })),
  "Billing.subscription": billing((s) => s.subscription(11)),
  "Billing.createSubscription": billing((s) => s.createSubscription(11, { priceId: 103 })),
  "Billing.changeSubscription": billing((s) => s.changeSubscription(11, { priceId: 103 })),
  "Billing.cancelSubscription": billing((s) => s.cancelSubscription(11)),
  "Billing.setFreePlan": billing((s) => s.setFreePlan(11, { confirmed: true })),
  "Billing.applyCoupon": billing((s) => s.applyCoupon(11, "WELCOME10")),
  "FeatureControls.list": features((s) => s.list(11)),
  "FeatureControls.update": features((s) => s.update(11, { id: 12, enabled: true })),
  "Invitations.invite": invitations((s) => s.invite(12, { email: "ann@example.com", name: "Ann" })),
  "Invitations.get": invitations((s) => s.get(hash)),
  "Invitations.accept": invitations((s) => s.accept(hash)),
  "OrganizationVariables.list": variables((s) => s.list(11)),
  "OrganizationVariables.create": variables((s) => s.create(11, { name: "x", typeId: 1, value: 1 })),
  "OrganizationVariables.update": variables((s) => s.update(11, "dailyLimit", { typeId: 1, value: 2 })),
  "OrganizationVariables.delete": variables((s) => s.delete(11, "dailyLimit")),
  "OrganizationVariables.history": variables((s) => s.history(11, "dailyLimit")),
  "Usage.get": usage((s) => s.get(11))
}

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

let answer: { readonly status: number; readonly body: Uint8Array<ArrayBuffer> } = {
  status: 200,
  body: new Uint8Array()
}

/** Answers every request with the current `answer`, whatever was asked. */
const answering = HttpClient.make((request) =>
  Effect.sync(() =>
    HttpClientResponse.fromWeb(
      request,
      // a 204 carries no body: `Response` refuses even an empty one
      new Response(answer.status === 204 ? null : answer.body, {
        status: answer.status,
        headers: { "content-type": "application/json" }
      })
    )
  )
)

const services = MakeApi.layer({
  token: Redacted.make("0b6e2c7d-4f1a-4e55-9c3b-7a8d9e0f1a2b"),
  zone: "eu1.make.com",
  retry: "off"
})
  .pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient)(answering)),
    Layer.orDie
  )

describe("decoder fuzzing", () => {
  it("there is an entry for each of the 30 endpoints, and fixtures to mutate", () => {
    expect(Object.keys(endpoints)).toHaveLength(30)
    expect(fixtures.length).toBeGreaterThanOrEqual(11)
  })

  // `it.live`: the real clock, so that the one-second bound on each call is real time (nothing here waits on purpose:
  // retries are off and every answer is immediate)
  it.live(
    `${casesPerRun} mutated answers through every endpoint: a value or a typed error, never a defect`,
    () =>
      Effect.gen(function*() {
        console.log(`decoder fuzzing: seed ${seed} (replay with FUZZ_SEED=${seed})`)
        const g = generator(seed)
        const names = Object.keys(endpoints)
        const outcomes = { values: 0, errors: 0, defects: new Array<string>() }
        const started = Date.now()
        let callMillis = 0
        for (let n = 0; n < casesPerRun; n++) {
          const name = names[n % names.length] ?? ""
          const call = endpoints[name]
          if (call === undefined) continue
          const base: Json = safeParse(JSON.stringify(g.pick(seeds))) ?? null
          const mutations = g.int(1, 3)
          let text = JSON.stringify(base)
          // once nested deep, the text is only cut or given duplicate keys: the test's own JSON.stringify would overflow
          for (let m = 0, deep = false; m < mutations; m++) {
            const parsed = deep ? undefined : safeParse(text)
            text = parsed !== undefined && g.next() < 0.75 ? mutateValue(parsed, g) : mutateText(text, g)
            deep ||= text.includes("[[[[[[[[") || text.includes("{\"a\":{\"a\":{\"a\":")
          }
          const status = g.pick(statuses)
          answer = { status, body: bytesOf(text, g) }
          const t0 = performance.now()
          // never a hang: a call that does not end within a (real) second is a defect, as a throw would be
          const exit = yield* Effect.exit(
            call.pipe(Effect.timeoutOrElse({
              duration: Duration.seconds(1),
              orElse: () => Effect.die(new Error("the call did not end"))
            }))
          )
          callMillis += performance.now() - t0
          if (Exit.isSuccess(exit)) {
            outcomes.values++
            continue
          }
          const error = Option.getOrUndefined(Cause.findErrorOption(exit.cause))
          const typed = error !== undefined && MakeError.isMakeError(error) &&
            (status >= 300 || error._tag === "UnexpectedResponse") &&
            String(error).length < 10_000 && JSON.stringify(error).length < 50_000
          if (typed && !Cause.hasDies(exit.cause)) outcomes.errors++
          else {outcomes.defects.push(
              `${name} ${status} ${text.slice(0, 80)}: ${Cause.pretty(exit.cause).slice(0, 300)}`
            )}
        }
        console.log(
          `decoder fuzzing: ${casesPerRun} cases, ${outcomes.values} values, ${outcomes.errors} typed errors, ` +
            `${outcomes.defects.length} defects, ${Date.now() - started} ms (${Math.round(callMillis)} ms in calls)`
        )
        expect(outcomes.defects, `seed ${seed}`).toEqual([])
        expect(outcomes.values).toBeGreaterThan(0)
      }).pipe(Effect.provide(services)),
    120_000
  )
})

const safeParse = (text: string): Json | undefined => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
