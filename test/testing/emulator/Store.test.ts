// The emulator's store: the organization index against a naive model, the one transaction idiom (a refused step
// changes nothing, concurrent steps lose nothing), and the queries the areas share.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Ref, Result, Schema } from "effect"
import { settings } from "../../../src/testing/emulator/Options.js"
import * as RequestLog from "../../../src/testing/emulator/RequestLog.js"
import { defaultSeed, fromSeed } from "../../../src/testing/emulator/Seed.js"
import {
  allOf,
  commit,
  type Data,
  type EmulatorState,
  findUserByEmail,
  indexOf,
  inOrganization,
  isMember,
  liveTeamRolesOf,
  liveTeamsOf,
  lookup,
  put,
  remove,
  removeOrganizationFrom,
  transact
} from "../../../src/testing/emulator/Store.js"

type Row = { readonly organizationId: number; readonly key: number; readonly value: string }

const Op = Schema.Union([
  Schema.Struct({
    op: Schema.Literal("put"),
    organizationId: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 3 })),
    key: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 8 })),
    value: Schema.String
  }),
  Schema.Struct({ op: Schema.Literal("remove"), key: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 8 })) }),
  Schema.Struct({
    op: Schema.Literal("removeOrganization"),
    organizationId: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 3 }))
  })
])

/** The naive model: an array in insertion order; a replaced record keeps its place (and its organization's). */
const model = (ops: ReadonlyArray<typeof Op.Type>): ReadonlyArray<Row> =>
  ops.reduce((rows: ReadonlyArray<Row>, op): ReadonlyArray<Row> => {
    switch (op.op) {
      case "put": {
        const known = rows.find((row) => row.key === op.key)
        // A key keeps the organization it was first put in (keys are unique across organizations in the store).
        const row = { organizationId: known?.organizationId ?? op.organizationId, key: op.key, value: op.value }
        return known === undefined ? [...rows, row] : rows.map((r) => r.key === op.key ? row : r)
      }
      case "remove":
        return rows.filter((row) => row.key !== op.key)
      case "removeOrganization":
        return rows.filter((row) => row.organizationId !== op.organizationId)
    }
  }, [])

describe("Index", () => {
  it.prop(
    "put, remove and removeOrganizationFrom agree with a list in insertion order",
    [Schema.Array(Op)],
    ([ops]) => {
      const index = ops.reduce((index, op) => {
        switch (op.op) {
          case "put": {
            const organizationId = Option.match(lookup(index, op.key), {
              onNone: () => op.organizationId,
              onSome: (row) => row.organizationId
            })
            return put(index, { organizationId, key: op.key, value: op.value })
          }
          case "remove":
            return remove(index, op.key)
          case "removeOrganization":
            return removeOrganizationFrom(index, op.organizationId)
        }
      }, indexOf((row: Row) => row.key))
      const expected = model(ops)
      for (const organizationId of [1, 2, 3]) {
        const rows = expected.filter((row) => row.organizationId === organizationId)
        expect(inOrganization(index, organizationId)).toEqual(rows)
      }
      expect([...allOf(index)].sort((a, b) => a.key - b.key)).toEqual([...expected].sort((a, b) => a.key - b.key))
    },
    { arbitrary: { runs: 200 } }
  )
})

const stateOf = (data: Data): Effect.Effect<EmulatorState> =>
  Effect.gen(function*() {
    return { settings: settings(), data: yield* Ref.make(data), log: yield* Ref.make(RequestLog.empty) }
  })

describe("transact", () => {
  const seeded = fromSeed(defaultSeed, settings(), 0)

  it.effect("a refused step changes nothing and fails with its error", () =>
    Effect.gen(function*() {
      const state = yield* stateOf(seeded)
      const exit = yield* Effect.exit(
        transact(state, (data) => data.nextId > 0 ? Result.fail("refused") : Result.succeed(commit(1, data)))
      )
      expect(exit).toEqual(Exit.fail("refused"))
      expect(yield* Ref.get(state.data)).toBe(seeded)
    }))

  it.effect("an accepted step stores its data and answers its result", () =>
    Effect.gen(function*() {
      const state = yield* stateOf(seeded)
      const answer = yield* transact(state, (data) => Result.succeed(commit("ok", { ...data, nextId: 99 })))
      expect(answer).toBe("ok")
      expect((yield* Ref.get(state.data)).nextId).toBe(99)
    }))

  it.effect("concurrent steps never lose an update", () =>
    Effect.gen(function*() {
      const state = yield* stateOf(seeded)
      yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => i),
        () => transact(state, (data) => Result.succeed(commit(undefined, { ...data, nextId: data.nextId + 1 }))),
        { concurrency: "unbounded" }
      )
      expect((yield* Ref.get(state.data)).nextId).toBe(seeded.nextId + 50)
    }))
})

describe("queries of the default seed", () => {
  const data = fromSeed(defaultSeed, settings(), 0)

  it("an organization shows its teams that are not deleted", () => {
    expect(liveTeamsOf(data, 11).map((team) => team.id)).toEqual([21, 22])
    expect(inOrganization(data.teams, 11).map((team) => team.id)).toEqual([21, 22, 23])
  })

  it("a deleted team grants nothing; the token's user is a member of every seeded organization", () => {
    expect(liveTeamRolesOf(data, 1, 11).map((role) => [role.teamId, role.usersRoleId])).toEqual([
      [21, 1],
      [22, 3]
    ])
    expect([11, 12, 13, 14].map((id) => isMember(data, 1, id))).toEqual([true, true, true, false])
  })

  it("users are found by e-mail whatever its case", () => {
    expect(Option.map(findUserByEmail(data, "NoReply@Make.com"), (user) => user.id)).toEqual(Option.some(1))
    expect(findUserByEmail(data, "dana@example.com")).toEqual(Option.none())
  })
})

describe("Index, by example (Effect 3's cases)", () => {
  type Named = { readonly organizationId: number; readonly id: number; readonly name: string }
  const row = (organizationId: number, id: number, name = `row ${id}`): Named => ({ organizationId, id, name })
  const byId = (r: Named) => r.id

  it("keeps each organization's records in insertion order; a put of a known key replaces in place", () => {
    const index = put(put(indexOf(byId, [row(11, 1), row(12, 2), row(11, 3)]), row(11, 4)), row(11, 1, "renamed"))
    expect(inOrganization(index, 11).map((r) => [r.id, r.name])).toEqual([[1, "renamed"], [3, "row 3"], [4, "row 4"]])
    expect(inOrganization(index, 12).map(byId)).toEqual([2])
    expect(inOrganization(index, 99)).toEqual([])
    expect(lookup(index, 3)).toEqual(Option.some(row(11, 3)))
    expect(remove(index, 42)).toBe(index)
  })

  it("builds an index of 10,000 records in one organization without quadratic copies", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(12, i + 1))
    const index = indexOf(byId, [row(11, 0), ...rows])
    expect(inOrganization(index, 11).map(byId)).toEqual([0])
    expect(inOrganization(index, 12)).toHaveLength(10_000)
  })
})
