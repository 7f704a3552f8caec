// The emulator's HTTP handlers: one `HttpApiBuilder.group` per area over the pure operations, the `Token` check and the
// pass-through `CommonErrors`. Imports `effect`, `effect/http`, `effect/http-api`, api/, MakeError and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Clock, Duration, Effect, Layer, Redacted, Result, Schema, SchemaIssue } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApi, HttpApiBuilder } from "effect/http-api"
import { CommonErrors, MakeHttpApi } from "../../api/MakeHttpApi.js"
import { Authentication } from "../../api/Security.js"
import { toBody } from "../../internal/errorBody.js"
import type * as MakeError from "../../MakeError.js"
import { colsWireKey, pgWireKeys } from "../../Pagination.js"
import * as AdminTeams from "./AdminTeams.js"
import * as Billing from "./Billing.js"
import { invalidRequest, unauthorized } from "./Errors.js"
import * as Invitations from "./Invitations.js"
import { tokenUser } from "./Options.js"
import * as Organizations from "./Organizations.js"
import { type Data, type EmulatorState, snapshot, transact } from "./Store.js"
import * as Usage from "./Usage.js"
import * as Variables from "./Variables.js"
import { nowIso } from "./Wire.js"

/**
 * Make's error answer: `{detail, message, code, suberrors?}` with the error's status (as the Effect 3 emulator sends).
 *
 * @since 1.0.0
 * @category errors
 */
export const errorResponse = (error: {
  readonly status: number
  readonly detail: string
  readonly title?: string | undefined
  readonly code?: string | undefined
  readonly suberrors?: ReadonlyArray<{ readonly message: string }> | undefined
}): HttpServerResponse.HttpServerResponse => HttpServerResponse.jsonUnsafe(toBody(error), { status: error.status })

/** A 200 with Make's JSON, already in its wire form (the pure operations type it by the contract). */
const ok = (body: unknown): HttpServerResponse.HttpServerResponse => HttpServerResponse.jsonUnsafe(body)

type AnyMakeError =
  | MakeError.NotFound
  | MakeError.InvalidRequest
  | MakeError.NotConfirmed

/**
 * Runs an answer: success as Make's JSON, a Make error as Make's error body. The errors are answered here rather than
 * encoded by the contract so the body is exactly Make's whichever errors an endpoint declares.
 */
const answer = <A>(effect: Effect.Effect<A, AnyMakeError>): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.match(effect, { onFailure: errorResponse, onSuccess: ok })

/** A read: one consistent snapshot through a pure operation. */
const reading = <A>(
  state: EmulatorState,
  f: (data: Data) => Result.Result<A, AnyMakeError>
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  answer(Effect.flatMap(snapshot(state), (data) => Effect.fromResult(f(data))))

/** A change: the pure operation run in `Store.transact`. */
const changing = <A>(
  state: EmulatorState,
  f: (data: Data) => Result.Result<readonly [A, Data], AnyMakeError>
): Effect.Effect<HttpServerResponse.HttpServerResponse> => answer(transact(state, f))

const always = <A>(f: (data: Data) => readonly [A, Data]) => (data: Data): Result.Result<readonly [A, Data], never> =>
  Result.succeed(f(data))

/**
 * `GET /organizations/{id}`: with `wait=true` before the zone has synchronised the organization, sleep (`Clock`, so
 * `TestClock` drives it) and read again: the organization may have changed, or gone, meanwhile.
 */
const getOrganization = (
  state: EmulatorState,
  id: number,
  wait: boolean
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  answer(Effect.gen(function*() {
    while (true) {
      const data = yield* snapshot(state)
      const now = yield* Clock.currentTimeMillis
      const outcome = yield* Effect.fromResult(Organizations.getOrganization(data, id, now, wait))
      if (outcome._tag === "Ready") return outcome.body
      yield* Effect.sleep(Duration.millis(outcome.millis))
    }
  }))

/**
 * The contract as the emulator serves it: every problem of a request is reported (Make's 400 lists one suberror per
 * invalid field), not only the first, as Effect 3's emulator decodes with `errors: "all"`.
 *
 * @since 1.0.0
 * @category contract
 */
export const EmulatedApi = MakeHttpApi.annotate(HttpApi.ParseOptions, { errors: "all" })

/**
 * Every group of the contract over one state.
 *
 * @since 1.0.0
 * @category layers
 */
export const groupsLayer = (state: EmulatorState) =>
  Layer.mergeAll(
    HttpApiBuilder.group(EmulatedApi, "organizations", (handlers) =>
      handlers
        .handle(
          "list",
          ({ query }) => reading(state, (data) => Organizations.listOrganizations(data, query, state.settings.zone))
        )
        .handle(
          "create",
          ({ payload }) =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) => changing(state, always(Organizations.createOrganization(payload, now, state.settings)))
            )
        )
        .handle("get", ({ params, query }) => getOrganization(state, params.organizationId, query.wait === true))
        .handle(
          "update",
          ({ params, payload }) => changing(state, Organizations.patchOrganization(params.organizationId, payload))
        )
        .handle(
          "delete",
          ({ params, query }) =>
            changing(state, Organizations.deleteOrganization(params.organizationId, query.confirmed === true))
        )
        .handle("apps", ({ params }) => reading(state, (data) => Organizations.customApps(data, params.organizationId)))
        .handle("checkTeamPermission", ({ params, query }) =>
          reading(
            state,
            (data) =>
              Organizations.checkTeamPermission(
                data,
                params.organizationId,
                state.settings.userId,
                query.teamPermission
              )
          ))),
    HttpApiBuilder.group(EmulatedApi, "invitations", (handlers) =>
      handlers
        .handle(
          "invite",
          ({ params, payload }) =>
            Effect.flatMap(nowIso, (now) => changing(state, Invitations.invite(params.organizationId, payload, now)))
        )
        .handle("get", ({ query }) => reading(state, (data) => Invitations.getInvitation(data, query.hash)))
        .handle("accept", ({ payload }) => changing(state, Invitations.accept(payload.hash)))),
    HttpApiBuilder.group(EmulatedApi, "billing", (handlers) =>
      handlers
        .handle(
          "payments",
          ({ params, query }) => reading(state, (data) => Billing.listPayments(data, params.organizationId, query))
        )
        .handle(
          "createSinglePayment",
          ({ params, payload }) =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) => changing(state, Billing.createSinglePayment(params.organizationId, payload, now))
            )
        )
        .handle(
          "getSubscription",
          ({ params }) => reading(state, (data) => Billing.getSubscription(data, params.organizationId))
        )
        .handle(
          "createSubscription",
          ({ params, payload }) =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) => changing(state, Billing.createSubscription(params.organizationId, payload, now))
            )
        )
        .handle(
          "cancelSubscription",
          ({ params }) => changing(state, Billing.cancelSubscription(params.organizationId))
        )
        .handle(
          "changeSubscription",
          ({ params, payload }) => changing(state, Billing.changeSubscription(params.organizationId, payload))
        )
        .handle(
          "setFreePlan",
          ({ params, query }) =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) => changing(state, Billing.setFreePlan(params.organizationId, query.confirmed === true, now))
            )
        )
        .handle(
          "applyCoupon",
          ({ params, query }) => changing(state, Billing.applyCoupon(params.organizationId, query.couponCode))
        )),
    HttpApiBuilder.group(EmulatedApi, "organizationVariables", (handlers) =>
      handlers
        .handle("list", ({ params }) => reading(state, (data) => Variables.listVariables(data, params.organizationId)))
        .handle("create", ({ params, payload }) =>
          Effect.flatMap(nowIso, (timestamp) =>
            changing(
              state,
              Variables.createVariable(params.organizationId, payload, { author: tokenUser(state.settings), timestamp })
            )))
        .handle("update", ({ params, payload }) =>
          Effect.flatMap(nowIso, (timestamp) =>
            changing(
              state,
              Variables.patchVariable(params.organizationId, params.variableName, payload, {
                author: tokenUser(state.settings),
                timestamp
              })
            )))
        .handle("delete", ({ params, query }) =>
          changing(
            state,
            Variables.deleteVariable(params.organizationId, params.variableName, query.confirmed === true)
          ))
        .handle(
          "history",
          ({ params }) =>
            reading(state, (data) => Variables.variableHistory(data, params.organizationId, params.variableName))
        )),
    HttpApiBuilder.group(
      MakeHttpApi,
      "usage",
      (handlers) =>
        handlers.handle("get", ({ params, query }) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            reading(state, (data) =>
              Usage.usage(data, params.organizationId, {
                now,
                userOffsetMinutes: state.settings.userTimezoneOffsetMinutes,
                organizationTimezone: query.organizationTimezone === true
              }))))
    ),
    HttpApiBuilder.group(EmulatedApi, "featureControls", (handlers) =>
      handlers
        .handle(
          "list",
          ({ params, query }) =>
            reading(state, (data) =>
              Usage.listFeatureControls(data, params.organizationId, query))
        )
        .handle(
          "update",
          ({ params, payload }) => changing(state, Usage.switchFeatureControl(params.organizationId, payload))
        )),
    HttpApiBuilder.group(EmulatedApi, "adminTeams", (handlers) =>
      handlers
        .handle("list", ({ query }) => reading(state, (data) => AdminTeams.listTeams(data, query)))
        .handle("create", ({ payload }) => changing(state, AdminTeams.createTeam(payload, state.settings.userId)))
        .handle("update", ({ params, payload }) => changing(state, AdminTeams.renameTeam(params.teamId, payload)))
        .handle("delete", ({ params }) => changing(state, AdminTeams.deleteTeam(params.teamId))))
  )

/**
 * Whether an `Authorization` header value carries the accepted token (`Token <api-token>`).
 *
 * @since 1.0.0
 * @category authentication
 */
export const acceptsAuthorization = (state: EmulatorState, header: string | undefined): boolean =>
  header !== undefined && header.trim() === `Token ${Redacted.value(state.settings.token)}`

/**
 * The `Authentication` middleware: 401 with Make's body unless the header carries the token.
 *
 * @since 1.0.0
 * @category layers
 */
export const authenticationLayer = (state: EmulatorState): Layer.Layer<Authentication> =>
  Layer.succeed(Authentication)({
    token: (effect, { credential }) =>
      acceptsAuthorization(state, Redacted.value(credential)) ? effect : Effect.fail(unauthorized())
  })

/**
 * `CommonErrors` only declares the API-wide errors; the server passes every request through.
 *
 * @since 1.0.0
 * @category layers
 */
export const commonErrorsLayer: Layer.Layer<CommonErrors> = Layer.succeed(CommonErrors)((effect) => effect)

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

// The query's fields renamed on the wire (`Schema.encodeKeys`): a suberror names the parameter as it was sent.
const queryWireNames: { readonly [field: string]: string } = { ...pgWireKeys, ...colsWireKey }

const keyName = (key: PropertyKey | { readonly key: PropertyKey }): string =>
  String(typeof key === "object" ? key.key : key)

/**
 * Make's 400 (`IM015`, one suberror per problem, `path.to.field: message`) for a request the contract's schemas
 * reject, as Effect 3's `Errors.fromDecodeError`. A query parameter is named as sent (`pg[limit]`, `cols[]`).
 *
 * @since 1.0.0
 * @category errors
 */
export const fromSchemaError = (error: Schema.SchemaError, kind?: string): MakeError.InvalidRequest => {
  const issues = formatter(error.issue).issues
  return invalidRequest(
    issues.length === 0
      ? [error.message]
      : issues.map((issue) => {
        const path = (issue.path ?? []).map(keyName)
        const [head, ...rest] = path
        if (head === undefined) return issue.message
        const named = kind === "Query" ? [queryWireNames[head] ?? head, ...rest] : path
        return `${named.join(".")}: ${issue.message}`
      })
  )
}
