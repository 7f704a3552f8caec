// A service's mock layer, used as a user would: a tiny function of "their" code that calls the service, run over
// `<Service>.layerMock(...)`. Asserts what that code sees: the mocked answers, the defect that names an unmocked
// method, and the typed error `otherwise` answers every call with (the compiler refusing one a method cannot fail with).
// The Effect 3 suite went through every service; the others are ported apart, so each behaviour it checked on one of
// them is checked here on Organizations (see the comment on each case).
import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import { defectOf } from "./support/limits.js"

const unimplemented = (method: string) => `${method} was called but the mock layer does not implement it`

const notFound = (resource: MakeError.Resource, id: number | string) =>
  new MakeError.NotFound({ status: 404, detail: "Not found", resource, id })
const rateLimited = new MakeError.RateLimited({ status: 429, detail: "Too many requests", retryAfterMillis: 2000 })
const serverError = new MakeError.ServerError({ status: 503, detail: "Service unavailable" })

// ---------------------------------------------------------------------------
// "The user's code": small functions over the service
// ---------------------------------------------------------------------------

/** An organization's name, or "(gone)" when Make does not know it. */
const organizationName = (id: number) =>
  Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.get(id)).pipe(
    Effect.map((org) => org.name),
    Effect.catchTag("NotFound", () => Effect.succeed("(gone)"))
  )

/** Every organization name, through the paging stream. */
const organizationNames = Effect.flatMap(
  Effect.service(Organizations.Organizations),
  (orgs) => Stream.runCollect(Stream.map(orgs.stream(), (org) => org.name))
)

/** How many organizations the first page holds; 0 while Make is rate limiting us. */
const firstPageSize = Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.list()).pipe(
  Effect.map((page) => page.items.length),
  Effect.catchTag("RateLimited", () => Effect.succeed(0))
)

/** Deletes an organization, answering whether it was (false when it still has active scenarios). */
const deleted = (id: number) =>
  Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.delete(id)).pipe(
    Effect.as(true),
    Effect.catchTag("NotConfirmed", () => Effect.succeed(false))
  )

// ---------------------------------------------------------------------------

describe("layerMock", () => {
  it.effect("answers with the given get, and the user's code handles its NotFound", () =>
    Effect.gen(function*() {
      expect(yield* organizationName(11)).toBe("Acme")
      expect(yield* organizationName(99)).toBe("(gone)")
    }).pipe(Effect.provide(Organizations.layerMock({
      get: (id) => id === 11 ? Effect.succeed({ id, name: "Acme" }) : Effect.fail(notFound("organization", id))
    }))))

  it.effect("a method that was not given dies naming the service and the method, an Effect or a Stream", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect(yield* defectOf(orgs.list())).toBe(unimplemented("Organizations.list"))
      expect(yield* defectOf(Stream.runCollect(orgs.stream()))).toBe(unimplemented("Organizations.stream"))
      expect(yield* defectOf(orgs.awaitSynced(11))).toBe(unimplemented("Organizations.awaitSynced"))
    }).pipe(Effect.provide(Organizations.layerMock({}))))

  it.effect("otherwise: every call fails with the typed error, which the user's code can catchTag", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.delete(11, { confirmed: true }))
      expect(error).toBe(rateLimited)
      expect(error).toMatchObject({ _tag: "RateLimited", retryAfterMillis: 2000 })
      const caught = yield* orgs.list().pipe(Effect.catchTag("RateLimited", (e) => Effect.succeed(e.status)))
      expect(caught).toBe(429)
    }).pipe(Effect.provide(Organizations.layerMock({}, { otherwise: rateLimited }))))

  it("otherwise only type-checks with an error every method can fail with", () => {
    // list and create cannot fail with NotFound, so NotFound is no answer to every call of Organizations
    // @ts-expect-error NotFound is not in every method's error channel
    Organizations.layerMock({}, { otherwise: notFound("organization", 1) })
    // (The Effect 3 case also accepted NotFound for AdminTeams, whose every method is about an organization or a
    // team, and refused NotConfirmed for OrganizationVariables: those services are ported apart.)
    // @ts-expect-error NotConfirmed is only delete's
    Organizations.layerMock({}, { otherwise: new MakeError.NotConfirmed({ status: 406, detail: "x" }) })
    expect(Organizations.layerMock({}, { otherwise: rateLimited })).toBeDefined()
    expect(Organizations.layerMock({}, { otherwise: serverError })).toBeDefined()
  })

  it.effect("an implemented method is used as given, the others still die", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect(yield* orgs.checkTeamPermission(11, "scenario add")).toBe(true)
      expect(yield* defectOf(orgs.get(11))).toBe(unimplemented("Organizations.get"))
    }).pipe(Effect.provide(Organizations.layerMock({ checkTeamPermission: () => Effect.succeed(true) }))))

  // On Effect 3 this was Usage's mock: the mock of every service is made the same way (Mock.layer).
  it.effect("the mocked service is a plain value: not a thenable, no protocol symbols, Object's toString", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect("then" in orgs).toBe(false)
      expect(Reflect.get(orgs, Symbol.iterator)).toBeUndefined()
      expect(String(orgs)).toBe("[object Object]")
      // every method is there, given or not; nothing else is (Effect 3's mock answered `in` with true for any name)
      expect("get" in orgs && "stream" in orgs && "awaitSynced" in orgs).toBe(true)
      expect("anything" in orgs).toBe(false)
      // awaiting it gives the service itself, as for any object that is not a promise
      expect(yield* Effect.promise(async () => await orgs)).toBe(orgs)
    }).pipe(Effect.provide(Organizations.layerMock({}))))

  // On Effect 3: AdminTeams' stream of teams.
  it.effect("a mocked stream feeds the user's code", () =>
    Effect.gen(function*() {
      expect(yield* organizationNames).toEqual(["Acme", "Beta"])
    }).pipe(Effect.provide(Organizations.layerMock({
      stream: () => Stream.make({ id: 11, name: "Acme" }, { id: 12, name: "Beta" })
    }))))

  // On Effect 3: AdminTeams' stream, with NotFound as `otherwise`; Organizations' shared errors are the common ones.
  it.effect("the unmocked stream dies with its name; otherwise turns it into the typed error", () =>
    Effect.gen(function*() {
      expect(yield* defectOf(organizationNames)).toBe(unimplemented("Organizations.stream"))
      const error = yield* Effect.flip(
        organizationNames.pipe(Effect.provide(Organizations.layerMock({}, { otherwise: serverError })))
      )
      expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
    }).pipe(Effect.provide(Organizations.layerMock({}))))

  // On Effect 3: OrganizationVariables.create's FeatureUnavailable, the others RateLimited.
  it.effect("a method-specific error goes in that method: NotConfirmed from delete", () =>
    Effect.gen(function*() {
      expect(yield* deleted(11)).toBe(false)
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.delete(11))
      expect(error).toMatchObject({ _tag: "NotConfirmed", status: 406, resource: "organization", id: 11 })
      expect(yield* Effect.flip(orgs.apps(11))).toBe(rateLimited)
    }).pipe(Effect.provide(Organizations.layerMock({
      delete: (id) =>
        Effect.fail(
          new MakeError.NotConfirmed({ status: 406, detail: "Active scenarios", resource: "organization", id })
        )
    }, { otherwise: rateLimited }))))

  // On Effect 3: Usage.get and Billing.subscription, the same behaviour over another service.
  it.effect("otherwise RateLimited: the user's fallback runs; without a mock, the defect", () =>
    Effect.gen(function*() {
      expect(yield* firstPageSize.pipe(Effect.provide(Organizations.layerMock({}, { otherwise: rateLimited }))))
        .toBe(0)
      expect(yield* defectOf(firstPageSize.pipe(Effect.provide(Organizations.layerMock({}))))).toBe(
        unimplemented("Organizations.list")
      )
      expect(
        yield* firstPageSize.pipe(Effect.provide(Organizations.layerMock({
          list: () => Effect.succeed({ items: [{ id: 11, name: "Acme" }], pg: { offset: 0, limit: 10 } })
        })))
      ).toBe(1)
    }))
})
