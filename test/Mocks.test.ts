// Every service's mock layer, used as a user would: a tiny function of "their" code that calls the service, run over
// `<Service>.layerMock(...)`. Asserts what that code sees: the mocked answers, the defect that names an unmocked
// method, and the typed error `otherwise` answers every call with (the compiler refusing one a method cannot fail with).
// Ported from the Effect 3 line, with the Organizations cases of the Organizations-only port kept where they check
// something more; imports `effect`, src/ and ./support.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import * as AdminTeams from "../src/AdminTeams.js"
import * as Billing from "../src/Billing.js"
import * as FeatureControls from "../src/FeatureControls.js"
import * as Invitations from "../src/Invitations.js"
import * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import * as Usage from "../src/Usage.js"
import { defectOf } from "./support/limits.js"

const unimplemented = (method: string) => `${method} was called but the mock layer does not implement it`

const notFound = (resource: MakeError.Resource, id: number | string) =>
  new MakeError.NotFound({ status: 404, detail: "Not found", resource, id })
const rateLimited = new MakeError.RateLimited({ status: 429, detail: "Too many requests", retryAfterMillis: 2000 })
const serverError = new MakeError.ServerError({ status: 503, detail: "Service unavailable" })

// ---------------------------------------------------------------------------
// "The user's code": small functions over one service each
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

/** Every team name of an organization, through the paging stream. */
const teamNames = (organizationId: number) =>
  Effect.flatMap(
    Effect.service(AdminTeams.AdminTeams),
    (teams) => Stream.runCollect(Stream.map(teams.stream(organizationId), (team) => team.name))
  )

/** Whether an organization pays: a subscription exists. */
const isPaying = (organizationId: number) =>
  Effect.flatMap(Effect.service(Billing.Billing), (billing) => billing.subscription(organizationId)).pipe(
    Effect.as(true),
    Effect.catchTag("NotFound", () => Effect.succeed(false))
  )

/** The names of an organization's variables. */
const variableNames = (organizationId: number) =>
  Effect.flatMap(
    Effect.service(OrganizationVariables.OrganizationVariables),
    (variables) => variables.list(organizationId)
  ).pipe(Effect.map((list) => list.map((variable) => variable.name)))

/** Operations of the last 30 days; 0 while Make is rate limiting us. */
const operationsUsed = (organizationId: number) =>
  Effect.flatMap(Effect.service(Usage.Usage), (usage) => usage.get(organizationId)).pipe(
    Effect.map((days) => days.reduce((sum, day) => sum + day.operations, 0)),
    Effect.catchTag("RateLimited", () => Effect.succeed(0))
  )

/** The names of the enabled feature controls. */
const enabledControls = (organizationId: number) =>
  Effect.flatMap(Effect.service(FeatureControls.FeatureControls), (controls) => controls.list(organizationId)).pipe(
    Effect.map((list) => list.filter((control) => control.enabled === true).map((control) => control.name))
  )

/** Accepts an invitation, answering with the organization joined. */
const join = (hash: string) =>
  Effect.flatMap(Effect.service(Invitations.Invitations), (invitations) => invitations.accept(hash)).pipe(
    Effect.map((role) => role.organizationId)
  )

// ---------------------------------------------------------------------------

describe("layerMock", () => {
  describe("Organizations", () => {
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
      // but it is for AdminTeams, whose every method is about an organization or a team
      AdminTeams.layerMock({}, { otherwise: notFound("team", 1) })
      // @ts-expect-error NotConfirmed is only delete's
      OrganizationVariables.layerMock({}, { otherwise: new MakeError.NotConfirmed({ status: 406, detail: "x" }) })
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

    // The Usage case below, over a service with composed methods (streams, awaits) as well.
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

    // The AdminTeams case over Organizations' stream.
    it.effect("a mocked stream feeds the user's code", () =>
      Effect.gen(function*() {
        expect(yield* organizationNames).toEqual(["Acme", "Beta"])
      }).pipe(Effect.provide(Organizations.layerMock({
        stream: () => Stream.make({ id: 11, name: "Acme" }, { id: 12, name: "Beta" })
      }))))

    // The AdminTeams case with a common error as `otherwise` (Organizations' list cannot fail with NotFound).
    it.effect("the unmocked stream dies with its name; otherwise turns it into the typed error", () =>
      Effect.gen(function*() {
        expect(yield* defectOf(organizationNames)).toBe(unimplemented("Organizations.stream"))
        const error = yield* Effect.flip(
          organizationNames.pipe(Effect.provide(Organizations.layerMock({}, { otherwise: serverError })))
        )
        expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
      }).pipe(Effect.provide(Organizations.layerMock({}))))

    // As OrganizationVariables.create's FeatureUnavailable below, with delete's NotConfirmed.
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

    // As Usage.get below, over a paged list, and a given list that is used.
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

  describe("AdminTeams", () => {
    it.effect("a mocked stream feeds the user's code", () =>
      Effect.gen(function*() {
        expect(yield* teamNames(11)).toEqual(["Engineering", "Support"])
      }).pipe(Effect.provide(AdminTeams.layerMock({
        stream: (organizationId) =>
          Stream.make({ id: 1, name: "Engineering", organizationId }, { id: 2, name: "Support", organizationId })
      }))))

    it.effect("the unmocked stream dies with its name; otherwise turns it into the typed error", () =>
      Effect.gen(function*() {
        expect(yield* defectOf(teamNames(11))).toBe(unimplemented("AdminTeams.stream"))
        const error = yield* Effect.flip(
          teamNames(11).pipe(Effect.provide(AdminTeams.layerMock({}, {
            otherwise: notFound("organization", 11)
          })))
        )
        expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 11 })
      }).pipe(Effect.provide(AdminTeams.layerMock({}))))
  })

  describe("Billing", () => {
    it.effect("a NotFound subscription reads as not paying; other methods die", () =>
      Effect.gen(function*() {
        expect(yield* isPaying(12)).toBe(false)
        const billing = yield* Billing.Billing
        expect(yield* defectOf(billing.payments(12))).toBe(unimplemented("Billing.payments"))
        expect(yield* defectOf(Stream.runDrain(billing.streamPayments(12)))).toBe(
          unimplemented("Billing.streamPayments")
        )
      }).pipe(Effect.provide(Billing.layerMock({
        subscription: (organizationId) => Effect.fail(notFound("subscription", organizationId))
      }))))

    it.effect("otherwise: a 5xx reaches the user's code as ServerError", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(isPaying(12))
        expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
      }).pipe(Effect.provide(Billing.layerMock({}, { otherwise: serverError }))))
  })

  describe("OrganizationVariables", () => {
    it.effect("list answers as given; create dies naming itself", () =>
      Effect.gen(function*() {
        expect(yield* variableNames(11)).toEqual([])
        const variables = yield* OrganizationVariables.OrganizationVariables
        expect(yield* defectOf(variables.create(11, { name: "tier", typeId: 2, value: "gold" }))).toBe(
          unimplemented("OrganizationVariables.create")
        )
      }).pipe(Effect.provide(OrganizationVariables.layerMock({ list: () => Effect.succeed([]) }))))

    it.effect("a method-specific error goes in that method: FeatureUnavailable from create", () =>
      Effect.gen(function*() {
        const variables = yield* OrganizationVariables.OrganizationVariables
        const error = yield* Effect.flip(variables.create(13, { name: "tier", typeId: 2, value: "gold" }))
        expect(error).toMatchObject({ _tag: "FeatureUnavailable", organizationId: 13, feature: "customVariables" })
        expect(yield* Effect.flip(variableNames(13))).toBe(rateLimited)
      }).pipe(Effect.provide(OrganizationVariables.layerMock({
        create: (organizationId) =>
          Effect.fail(new MakeError.FeatureUnavailable({ organizationId, feature: "customVariables" }))
      }, { otherwise: rateLimited }))))
  })

  describe("Usage", () => {
    it.effect("sums the mocked days", () =>
      Effect.gen(function*() {
        expect(yield* operationsUsed(11)).toBe(12)
      }).pipe(Effect.provide(Usage.layerMock({
        get: () =>
          Effect.succeed([
            { date: "2025-03-09", operations: 5, dataTransfer: 0, centicredits: 0 },
            { date: "2025-03-10", operations: 7, dataTransfer: 0, centicredits: 0 }
          ])
      }))))

    it.effect("otherwise RateLimited: the user's fallback runs; without a mock, the defect", () =>
      Effect.gen(function*() {
        expect(yield* operationsUsed(11).pipe(Effect.provide(Usage.layerMock({}, { otherwise: rateLimited })))).toBe(0)
        expect(yield* defectOf(operationsUsed(11).pipe(Effect.provide(Usage.layerMock({}))))).toBe(
          unimplemented("Usage.get")
        )
      }))

    it.effect("the mocked service is a plain value: not a thenable, no protocol symbols, Object's toString", () =>
      Effect.gen(function*() {
        const usage = yield* Usage.Usage
        expect("then" in usage).toBe(false)
        expect(Reflect.get(usage, Symbol.iterator)).toBeUndefined()
        expect(String(usage)).toBe("[object Object]")
        // every method is there, given or not; nothing else is (Effect 3's mock answered `in` with true for any name)
        expect("get" in usage).toBe(true)
        expect("anything" in usage).toBe(false)
        // awaiting it gives the service itself, as for any object that is not a promise
        expect(yield* Effect.promise(async () => await usage)).toBe(usage)
      }).pipe(Effect.provide(Usage.layerMock({}))))
  })

  describe("FeatureControls", () => {
    it.effect("filters the mocked controls; update dies naming itself", () =>
      Effect.gen(function*() {
        expect(yield* enabledControls(11)).toEqual(["Make AI Tools"])
        const controls = yield* FeatureControls.FeatureControls
        expect(yield* defectOf(controls.update(11, { id: 3, enabled: true }))).toBe(
          unimplemented("FeatureControls.update")
        )
      }).pipe(Effect.provide(FeatureControls.layerMock({
        list: () =>
          Effect.succeed([{ id: 3, name: "Make AI Tools", enabled: true }, { id: 7, name: "Scenario sharing" }])
      }))))

    it.effect("otherwise NotFound: the organization is gone", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(enabledControls(99))
        expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 99 })
      }).pipe(Effect.provide(FeatureControls.layerMock({}, { otherwise: notFound("organization", 99) }))))
  })

  describe("Invitations", () => {
    it.effect("accept answers as given; get dies naming itself", () =>
      Effect.gen(function*() {
        expect(yield* join("bf1effe1")).toBe(11)
        const invitations = yield* Invitations.Invitations
        expect(yield* defectOf(invitations.get("bf1effe1"))).toBe(unimplemented("Invitations.get"))
      }).pipe(Effect.provide(Invitations.layerMock({
        accept: () => Effect.succeed({ userId: 5, organizationId: 11, usersRoleId: 13 })
      }))))

    it.effect("otherwise NotFound: an unknown hash", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(join("nope"))
        expect(error).toMatchObject({ _tag: "NotFound", resource: "invitation", id: "nope" })
      }).pipe(Effect.provide(Invitations.layerMock({}, { otherwise: notFound("invitation", "nope") }))))
  })
})
