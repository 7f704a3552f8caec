// Invitations: invite a user into an organization and its teams, read an invitation by its hash, accept one.
// Runs on the embedded emulator: `npx tsx examples/invitations.ts`.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { Invitations } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

/** The invitation the emulator's default seed holds. */
const seededHash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"

const program = Effect.gen(function*() {
  const invitations = yield* Invitations.Invitations

  const sent = yield* invitations.invite(11, {
    email: "ann@example.com",
    name: "Ann Lee",
    usersRoleId: 13,
    teamsId: [21]
  })
  yield* Console.log(`Invited ${sent.email} to organization ${sent.organizationId} (hash ${sent.hash})`)

  const seeded = yield* invitations.get(seededHash)
  yield* Console.log(
    `Invitation ${seededHash}: ${seeded.name} <${seeded.email}> to ${seeded.organizationName ?? seeded.organizationId}`
  )
  const role = yield* invitations.accept(seededHash)
  yield* Console.log(`Accepted: user ${role.userId} is now in organization ${role.organizationId}`)

  const unknown = yield* Effect.flip(invitations.get("00000000-0000-4000-8000-000000000000"))
  yield* Console.log(`An unknown hash: ${unknown._tag}`)
})

program.pipe(Effect.provide(MakeTest.layer()), NodeRuntime.runMain)
