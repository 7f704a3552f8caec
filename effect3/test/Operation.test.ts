// Operations derived from the contract: every endpoint has exactly one service method and every method one
// endpoint; a method's error channel is what its endpoint declares. (At run time: MakeClient.test.ts, a 404 from
// Organizations.list is an UnexpectedResponse.)
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import type * as MakeError from "../src/MakeError.js"
import * as Operation from "../src/Operation.js"
import { tables } from "./properties/operations.js"

const methods = Object.values(tables).flatMap((table) => Object.values(table))

describe("Operation", () => {
  it("every contract endpoint has exactly one service method, and every method one endpoint", () => {
    const covered = methods.map((op) => `${op.group}.${op.endpoint}`)
    expect([...covered].sort()).toEqual([...Operation.endpoints].sort())
    expect(new Set(covered).size).toBe(covered.length)
    expect(covered).toHaveLength(30)
  })

  it("each method is named after its service and its key in the table", () => {
    for (const [service, table] of Object.entries(tables)) {
      for (const [method, op] of Object.entries(table)) expect(op.name).toEqual({ service, method })
    }
  })

  it("the error channel is what the endpoint declares", () => {
    expectTypeOf<Operation.Declared<"organizations", "list">>().toEqualTypeOf<never>()
    expectTypeOf<Operation.Declared<"organizations", "get">>().toEqualTypeOf<MakeError.NotFound>()
    expectTypeOf<Operation.Declared<"organizations", "delete">>().toEqualTypeOf<
      MakeError.NotFound | MakeError.NotConfirmed
    >()
    expectTypeOf<Operation.Declared<"organizationVariables", "history">>().toEqualTypeOf<
      MakeError.NotFound | MakeError.FeatureUnavailable
    >()
    expectTypeOf<Operation.Declared<"organizationVariables", "list">>().toEqualTypeOf<MakeError.NotFound>()
    expectTypeOf<Operation.Declared<"billing", "setFreePlan">>().toEqualTypeOf<
      MakeError.NotFound | MakeError.NotConfirmed
    >()
  })
})
