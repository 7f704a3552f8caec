// The Invitations area's pure operations: invite (suberrors), read by hash, accept once (user, membership, team
// roles), and team permissions that follow roles.
import { describe, expect, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import { InvitationAccepted, InvitationEnvelope } from "../../../src/api/InvitationsApi.js"
import { NotFound } from "../../../src/MakeError.js"
import { createTeam, deleteTeam } from "../../../src/testing/emulator/AdminTeams.js"
import { accept, findInvitation, getInvitation, invite } from "../../../src/testing/emulator/Invitations.js"
import { checkTeamPermission, deleteOrganization } from "../../../src/testing/emulator/Organizations.js"
import { type Data, inOrganization, setTeamRole } from "../../../src/testing/emulator/Store.js"
import { invitationHash, teamMemberRoleId } from "../../../src/testing/EmulatorCatalog.js"
import { failure, ok, seeded } from "./support.js"

const seededHash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"
const at = "2026-01-01T00:00:00.000Z"

const invitationNotFound = (hash: string) =>
  new NotFound({
    status: 404,
    detail: "Invitation not found.",
    title: "Not found",
    code: "SC404",
    resource: "invitation",
    id: hash
  })

describe("invitations", () => {
  it("the seeded invitation answers by hash; an unknown hash is a 404", () => {
    const body = ok(getInvitation(seeded, seededHash))
    expect(body).toEqual({
      invitation: {
        hash: seededHash,
        organizationId: 11,
        organizationName: "Acme",
        email: "dana@example.com",
        name: "Dana Scully",
        usersRoleId: 13,
        note: "Welcome to Acme",
        teamsId: [22],
        accepted: false
      }
    })
    expect(Schema.decodeUnknownResult(InvitationEnvelope)(body)._tag).toBe("Success")
    const unknown = "00000000-0000-4000-8000-000000000000"
    expect(failure(getInvitation(seeded, unknown))).toEqual(invitationNotFound(unknown))
  })

  it("invite issues a fresh UUID-shaped hash; accepting it once makes a member and a team member", () => {
    const [invited, data] = ok(
      invite(11, { email: "fox@example.com", name: "Fox Mulder", teamsId: [21, 22] }, at)(
        seeded
      )
    )
    const hash = invitationHash(2)
    expect(hash).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(invited).toEqual({
      invitation: {
        hash,
        organizationId: 11,
        organizationName: "Acme",
        email: "fox@example.com",
        name: "Fox Mulder",
        usersRoleId: 13,
        note: null,
        teamsId: [21, 22],
        accepted: false
      }
    })
    expect(Schema.decodeUnknownResult(InvitationEnvelope)(invited)._tag).toBe("Success")
    expect(Option.map(findInvitation(data, hash), (i) => i.createdAt)).toEqual(Option.some(at))

    const [accepted, after] = ok(accept(hash)(data))
    expect(accepted).toEqual({
      userOrganizationRole: { userId: 1001, organizationId: 11, usersRoleId: 13, invitation: null }
    })
    expect(Schema.decodeUnknownResult(InvitationAccepted)(accepted)._tag).toBe("Success")
    expect(ok(getInvitation(after, hash))).toMatchObject({ invitation: { hash, accepted: true } })
    expect(failure(accept(hash)(after))).toEqual(invitationNotFound(hash))
    expect(after.users).toContainEqual({ id: 1001, name: "Fox Mulder", email: "fox@example.com" })
    expect(inOrganization(after.memberships, 11)).toContainEqual({ userId: 1001, organizationId: 11, usersRoleId: 13 })
    expect(after.teamRoles.filter((role) => role.userId === 1001)).toEqual([
      { userId: 1001, teamId: 21, usersRoleId: teamMemberRoleId },
      { userId: 1001, teamId: 22, usersRoleId: teamMemberRoleId }
    ])
  })

  it("the seeded invitation: accepted with its role, note and team; a second user id for a second e-mail", () => {
    const [dana, afterDana] = ok(accept(seededHash)(seeded))
    expect(dana.userOrganizationRole).toEqual({ userId: 1001, organizationId: 11, usersRoleId: 13, invitation: null })
    const [invited, afterInvite] = ok(
      invite(12, { email: "walter@example.com", name: "Walter Skinner", usersRoleId: 12, note: "Admin of Beta" }, at)(
        afterDana
      )
    )
    expect(invited).toMatchObject({ invitation: { usersRoleId: 12, note: "Admin of Beta", teamsId: [] } })
    const [walter, afterWalter] = ok(accept(invitationHash(2))(afterInvite))
    expect(walter.userOrganizationRole).toMatchObject({ userId: 1002, organizationId: 12, usersRoleId: 12 })
    expect(afterWalter.teamRoles.filter((role) => role.userId >= 1001)).toEqual([
      { userId: 1001, teamId: 22, usersRoleId: 2 }
    ])
  })

  it("invite refuses teams of other organizations, deleted teams and existing members, changing nothing", () => {
    const refused = failure(
      invite(11, { email: "NoReply@make.com", name: "Me again", teamsId: [21, 24, 23] }, at)(
        seeded
      )
    )
    expect([refused._tag, refused.status, refused.code, refused.detail]).toEqual([
      "InvalidRequest",
      400,
      "IM015",
      "Validation failed for 3 parameter(s)."
    ])
    expect(refused._tag === "InvalidRequest" ? refused.suberrors.map((s) => s.message) : []).toEqual([
      "teamsId.1: team 24 is not a team of organization 11",
      "teamsId.2: team 23 is not a team of organization 11",
      "email: NoReply@make.com is already a member of organization 11"
    ])
    expect(failure(invite(999, { email: "a@b.co", name: "A" }, at)(seeded))).toMatchObject({
      _tag: "NotFound",
      resource: "organization",
      id: 999
    })
  })

  it("deleting the organization takes its invitations along", () => {
    const [, data] = ok(deleteOrganization(11, true)(seeded))
    expect(failure(getInvitation(data, seededHash))).toEqual(invitationNotFound(seededHash))
    expect(failure(accept(seededHash)(data))).toEqual(invitationNotFound(seededHash))
  })

  it.prop(
    "invitation ids follow on, each with its own hash, whatever the e-mails",
    { emails: Schema.Array(Schema.String).check(Schema.isMaxLength(6)) },
    ({ emails }) => {
      const hashes = new Set<string>()
      const data = emails.reduce((data: Data, email, i) => {
        const [body, next] = ok(invite(12, { email: `${i}-${email}`, name: "N" }, at)(data))
        expect(body.invitation.hash).toBe(invitationHash(2 + i))
        hashes.add(body.invitation.hash)
        return next
      }, seeded)
      expect(hashes.size).toBe(emails.length)
      expect(data.counters.invitation).toBe(2 + emails.length)
    }
  )
})

describe("check-team-permission follows team roles", () => {
  const held = (data: Data, organizationId: number, permission: string) =>
    ok(checkTeamPermission(data, organizationId, 1, permission)).hasPermission

  it("a deleted team grants nothing; a team created for the user grants Team Admin", () => {
    expect(held(seeded, 11, "scenario edit")).toBe(true)
    const [, withoutAdminTeam] = ok(deleteTeam(21)(seeded))
    expect(held(withoutAdminTeam, 11, "scenario edit")).toBe(false)
    expect(held(withoutAdminTeam, 11, "team view")).toBe(true)

    expect(held(seeded, 12, "team edit")).toBe(false)
    const [, withTeam] = ok(createTeam({ name: "Platform", organizationId: 12 }, 1)(seeded))
    expect(held(withTeam, 12, "team edit")).toBe(true)
    const [, theirs] = ok(createTeam({ name: "Their team", organizationId: 13, userTeamAdmin: 15 }, 1)(withTeam))
    expect(held(theirs, 13, "team edit")).toBe(false)
    expect(theirs.teamRoles).toContainEqual({ userId: 15, teamId: 27, usersRoleId: 1 })

    const member = setTeamRole({ userId: 1, teamId: 25, usersRoleId: 2 })(theirs)
    expect(held(member, 13, "scenario add")).toBe(true)
    expect(held(member, 13, "scenario run")).toBe(false)
  })
})
