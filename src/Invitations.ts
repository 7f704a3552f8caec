// The Invitations service: invite a user to an organization, read an invitation by its hash, accept it.
// Floor 4: imports MakeClient and floors below; never testing/ or @effect/platform-node.
/**
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import { type Invitation, InvitationHash, InviteUser } from "./domain/Invitation.js"
import type { UserOrganizationRole } from "./domain/Organization.js"
import { MakeClient, validate } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"

const InviteInput = Schema.Struct({ organizationId: Id, body: InviteUser })

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Invites a user by e-mail; `teamsId` adds them to those teams as member once they accept.
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

const service = "Invitations"

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.gen(function*() {
  const client = yield* MakeClient
  const { api } = client
  return {
    invite: (organizationId, body) =>
      client.call(
        {
          service,
          method: "invite",
          route: "POST /organizations/{organizationId}/invite",
          target: { resource: "organization", id: organizationId },
          errors: ["NotFound"]
        },
        Effect.gen(function*() {
          const input = yield* validate(`${service}.invite`, InviteInput, { organizationId, body })
          return yield* api.invitations.invite({
            path: { organizationId: input.organizationId },
            payload: input.body
          })
        })
      ),
    get: (hash) =>
      client.call(
        {
          service,
          method: "get",
          route: "GET /organizations/invitation",
          target: { resource: "invitation", id: hash },
          errors: ["NotFound"]
        },
        Effect.gen(function*() {
          const valid = yield* validate(`${service}.get`, InvitationHash, hash)
          return yield* api.invitations.get({ urlParams: { hash: valid } })
        })
      ),
    accept: (hash) =>
      client.call(
        {
          service,
          method: "accept",
          route: "POST /organizations/accept-invitation",
          target: { resource: "invitation", id: hash },
          errors: ["NotFound"]
        },
        Effect.gen(function*() {
          const valid = yield* validate(`${service}.accept`, InvitationHash, hash)
          return yield* api.invitations.accept({ payload: { hash: valid } })
        })
      )
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Invitations, never, MakeClient> = Layer.effect(Invitations, make)
