/**
 * The Invitations service: invite a user to an organization, read an invitation by its hash, accept it.
 *
 * @since 0.1.0
 */
// Floor 4: imports MakeClient, Operation and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import { type Invitation, InvitationHash, type InviteAnswer, InviteUser } from "./domain/Invitation.js"
import type { UserOrganizationRole } from "./domain/Organization.js"
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Operation from "./Operation.js"

const InviteInput = Schema.Struct({ organizationId: Id, body: InviteUser })

/**
 * What `yield* Invitations` gives: invitations to an organization. Each method's error channel is exactly what its
 * contract endpoint declares.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Invites a user by e-mail; `teamsId` adds them to those teams as member once they accept. What Make's answer
   * leaves out of the invitation (e-mail, name, role, teams) is taken from the request.
   *
   * @example
   * ```ts
   * const invitation = yield* invitations.invite(11, { email: "ann@example.com", name: "Ann", teamsId: [21] })
   * ```
   */
  readonly invite: (
    organizationId: number,
    body: InviteUser
  ) => Effect.Effect<Invitation, MakeError.NotFound | MakeError.Common>
  /**
   * The invitation behind a hash (from the link the user received).
   *
   * @example
   * ```ts
   * const invitation = yield* invitations.get("bf1effe1-bc9d-4ab3-9414-9c3b66175305")
   * ```
   */
  readonly get: (hash: string) => Effect.Effect<Invitation, MakeError.NotFound | MakeError.Common>
  /**
   * Accepts an invitation as the calling user; an invitation can be accepted once.
   *
   * @example
   * ```ts
   * const membership = yield* invitations.accept("bf1effe1-bc9d-4ab3-9414-9c3b66175305")
   * ```
   */
  readonly accept: (hash: string) => Effect.Effect<UserOrganizationRole, MakeError.NotFound | MakeError.Common>
}

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
 * @since 0.1.0
 * @category tags
 */
export class Invitations extends Context.Tag("effect-make/Invitations")<Invitations, Service>() {}

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

/**
 * The methods of the service, each over the contract endpoint it names.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = Operation.table("Invitations", {
  invite: Operation.make({
    endpoint: ["invitations", "invite"],
    input: InviteInput,
    target: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    send: (invite, input) =>
      Effect.map(
        invite({ path: { organizationId: input.organizationId }, payload: input.body }),
        (answer) => completeInvite(answer, input.body)
      )
  }),
  get: Operation.make({
    endpoint: ["invitations", "get"],
    input: InvitationHash,
    target: invitation,
    send: (get, hash) => get({ urlParams: { hash } })
  }),
  accept: Operation.make({
    endpoint: ["invitations", "accept"],
    input: InvitationHash,
    target: invitation,
    send: (accept, hash) => accept({ payload: { hash } })
  })
})

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.gen(function*() {
  const client = yield* MakeClient
  const invite = operations.invite.bind(client)
  return {
    invite: (organizationId, body) => invite({ organizationId, body }),
    get: operations.get.bind(client),
    accept: operations.accept.bind(client)
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Invitations, never, MakeClient> = Layer.effect(Invitations, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Invitations.<method> was called but the mock layer does not implement it`) — or, with `otherwise`, a typed error
 * every method can fail with (see {@link Operation.Shared}). No client, no emulator, no network.
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
 * @since 0.1.0
 * @category layers
 */
export const layerMock: Operation.MockLayer<Invitations, Service> = Operation.layerMock(Invitations)
