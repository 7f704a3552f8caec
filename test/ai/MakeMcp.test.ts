// Which tools a Make MCP server offers: for any --read-only/--allow/--deny a user can give, the tools kept are the
// catalogue's, in its order, each read-only when asked, each allowed when a list is given, none denied, and no tool
// left out that every rule lets through; an unknown name, however it is mixed with known ones, refuses the whole
// selection naming it.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import * as MakeMcp from "../../src/ai/MakeMcp.js"

const names = MakeMcp.catalogue.map((entry) => entry.name)
const Name = Schema.Literals(names)
const Names = Schema.Array(Name)

describe("MakeMcp", () => {
  it.prop(
    "a selection keeps exactly the tools every rule lets through, in the catalogue's order",
    { readOnly: Schema.Boolean, allow: Names, deny: Names },
    ({ allow, deny, readOnly }) => {
      const kept = Effect.runSync(MakeMcp.select({ readOnly, allow, deny })).map((entry) => entry.name)
      for (const entry of MakeMcp.catalogue) {
        const through = (!readOnly || entry.readOnly) && (allow.length === 0 || allow.includes(entry.name)) &&
          !deny.includes(entry.name)
        expect(kept.includes(entry.name), entry.name).toBe(through)
      }
      expect(kept).toEqual(names.filter((name) => kept.includes(name)))
    }
  )

  it.prop(
    "an unknown name in allow or deny refuses the selection, naming every unknown one",
    { known: Names, unknown: Schema.NonEmptyArray(Schema.String.check(Schema.isPattern(/^[a-z_]{1,20}$/))) },
    ({ known, unknown }) => {
      const strangers = unknown.filter((name) => !names.includes(name))
      const selected = Effect.runSync(Effect.result(MakeMcp.select({ allow: [...known, ...unknown], deny: known })))
      if (strangers.length === 0) return expect(Result.isSuccess(selected)).toBe(true)
      if (Result.isSuccess(selected)) return expect.fail("an unknown name was accepted")
      expect(selected.failure._tag).toBe("InvalidInput")
      expect(selected.failure.issues.map((issue) => issue.split(":")[0])).toEqual(strangers)
    }
  )

  // the instructions take no token at all: what they name is the target
  it("the instructions say what the tools reach and the confirmation rules", () => {
    const emulator = MakeMcp.instructions({ _tag: "Emulator" })
    expect(emulator).toContain("embedded Make emulator")
    const make = MakeMcp.instructions({ _tag: "Make", baseUrl: "https://eu1.make.com/api/v2" })
    expect(make).toContain("https://eu1.make.com/api/v2")
    for (const text of [emulator, make]) {
      expect(text).toContain("refused with NotConfirmed, before anything is sent, unless called with confirmed: true")
      expect(text).toContain("call plan with it, show the user the plan, then call provision with the same spec")
    }
  })
})
