/**
 * The Invitations service: invite a user to an organization, read an invitation by its hash, accept it.
 *
 * @since 1.0.0
 */
// Floor 4: imports MakeClient, Operation, Mock and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import { Invitation, InvitationHash, type InviteAnswer, InviteUser } from "./domain/Invitation.js"
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Mock from "./Mock.js"
import * as Operation from "./Operation.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

const invitation = (hash: string): MakeError.Target => ({ resource: "invitation", id: hash })

/**
 * The invitation an invite created: the answer, with every field it leaves out and the request carried (e-mail,
 * name, role, teams) taken from the request. Make has acted once it answers 200, so an answer that omits what the
 * caller already knows is no reason to report a failure; a field the answer has wins (Make's defaults, its spelling).
 */
const completeInvite = (answer: InviteAnswer, request: InviteUser): Invitation => {
  const usersRoleId = answer.usersRoleId ?? request.usersRoleId
  const teamsId = answer.teamsId ?? request.teamsId
  return {
    ...answer,
    email: answer.email ?? request.email,
    name: answer.name ?? request.name,
    ...(usersRoleId === undefined ? {} : { usersRoleId }),
    ...(teamsId === undefined ? {} : { teamsId })
  }
}

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

/**
 * The methods of the service over the contract, each said once: its arguments, their schema, and the call.
 *
 * @since 1.0.0
 * @category methods
 */
export const methods = {
  /**
   * Invites a user by e-mail; `teamsId` adds them to those teams as member once they accept. What Make's answer
   * leaves out of the invitation (e-mail, name, role, teams) is taken from the request.
   *
   * @example
   * ```ts
   * const invitation = yield* invitations.invite(11, { email: "ann@example.com", name: "Ann", teamsId: [21] })
   * ```
   */
  invite: Operation.method({
    endpoint: ["invitations", "invite"],
    args: (organizationId: number, body: InviteUser) => ({ organizationId, body }),
    input: Schema.Struct({ organizationId: Id, body: InviteUser }),
    about: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    organization: ({ organizationId }) => organizationId,
    output: Invitation,
    send: (invite, input) =>
      Effect.map(
        invite({ params: { organizationId: input.organizationId }, payload: input.body }),
        (answer) => completeInvite(answer, input.body)
      )
  }),
  /**
   * The invitation behind a hash (from the link the user received).
   *
   * @example
   * ```ts
   * const invitation = yield* invitations.get("bf1effe1-bc9d-4ab3-9414-9c3b66175305")
   * ```
   */
  get: Operation.method({
    endpoint: ["invitations", "get"],
    args: (hash: string) => hash,
    input: InvitationHash,
    about: invitation,
    send: (get, hash) => get({ query: { hash } })
  }),
  /**
   * Accepts an invitation as the calling user; an invitation can be accepted once.
   *
   * @example
   * ```ts
   * const membership = yield* invitations.accept("bf1effe1-bc9d-4ab3-9414-9c3b66175305")
   * ```
   */
  accept: Operation.method({
    endpoint: ["invitations", "accept"],
    args: (hash: string) => hash,
    input: InvitationHash,
    about: invitation,
    send: (accept, hash) => accept({ payload: { hash } })
  })
}

/**
 * What `yield* Invitations` gives: invitations to an organization, each method with exactly the errors its contract
 * endpoint declares.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service extends Operation.Methods<typeof methods> {}

/**
 * The Invitations service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Invitations } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const invitations = yield* Invitations.Invitations
 *   return yield* invitations.invite(11, { email: "ann@example.com", name: "Ann" })
 * })
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class Invitations extends Context.Service<Invitations, Service>()("effect-make/Invitations") {}

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.map(
  Effect.service(MakeClient),
  (client) => Operation.bind("Invitations", methods, client)
)

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<Invitations, never, MakeClient> = Layer.effect(Invitations, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Invitations.<method> was called but the mock layer does not implement it`), or, with `otherwise`, a typed error
 * every method can fail with (see `Mock.Shared`). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Invitations, MakeError } from "effect-make"
 *
 * // an expired or unknown invitation hash
 * const InvitationsTest = Invitations.layerMock({
 *   get: (hash) => Effect.fail(new MakeError.NotFound({ status: 404, detail: "Not found", resource: "invitation", id: hash }))
 * })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerMock: Mock.MockLayer<Invitations, Service> = Mock.layer(Invitations, {
  effects: Object.keys(methods),
  streams: []
})
