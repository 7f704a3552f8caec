// The corrections to @effect/cli's printing (src/cli/HelpText.ts): where a command line points, whatever global
// options come first; a subcommand's usage named from the program; "an integer".
import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import * as HelpText from "../../src/cli/HelpText.js"

const tree: HelpText.Tree = {
  program: "effect-make",
  commands: ["orgs", "features", "provision"],
  groups: new Map([["orgs", ["get", "list"]], ["features", ["list", "set"]]]),
  valueOptions: new Set(["--token", "--zone", "--base-url", "--completions", "--log-level"])
}

/** Global options as a user may put them before the command: flags, `--option value`, `--option=value`. */
const globals = FastCheck.array(
  FastCheck.oneof(
    FastCheck.constantFrom(["--json"], ["--verbose"]),
    FastCheck.tuple(FastCheck.constantFrom("--token", "--zone", "--base-url"), FastCheck.constantFrom("orgs", "x", "")),
    FastCheck.constantFrom(["--token=orgs"], ["--zone=eu1.make.com"])
  ),
  { maxLength: 4 }
).map((options) => options.flat())

describe("HelpText", () => {
  it.prop(
    "locates the command after any global options, and an unknown word in a group",
    { options: globals, word: FastCheck.constantFrom("get", "list", "set", "frobnicate") },
    ({ options, word }) => {
      const located = HelpText.locate(tree, [...options, "orgs", word, "--help"])
      expect(located).toEqual(
        word === "get" || word === "list"
          ? { path: ["orgs", word] }
          : { path: ["orgs"], unknown: { word, choices: ["get", "list"] } }
      )
    }
  )

  it("leaves the top level and leaves' arguments to @effect/cli", () => {
    expect(HelpText.locate(tree, ["frobnicate"])).toEqual({ path: [] })
    expect(HelpText.locate(tree, ["provision", "spec.yaml", "--plan"])).toEqual({ path: ["provision"] })
    expect(HelpText.locate(tree, ["orgs"])).toEqual({ path: ["orgs"] })
    expect(HelpText.unknownSubcommand(tree, HelpText.locate(tree, ["features", "sett"]))).toBe(
      "Invalid subcommand 'sett' for effect-make features - use one of 'list', 'set'"
    )
  })

  it("names the program and the path in a subcommand's usage, coloured or not; says 'an integer'", () => {
    const help = "effect-make\n\nUSAGE\n\n$ get [--wait] <ORG_ID>\n$ get <ORG_ID>\n\nDESCRIPTION\n\nrun $ get"
    expect(HelpText.correct(tree, ["orgs", "get"], help)).toBe(
      "effect-make\n\nUSAGE\n\n$ effect-make orgs get [--wait] <ORG_ID>\n$ effect-make orgs get <ORG_ID>\n\n" +
        "DESCRIPTION\n\nrun $ get"
    )
    expect(HelpText.correct(tree, ["orgs", "get"], "$ \u001b[1mget\u001b[0m <ORG_ID>")).toBe(
      "$ \u001b[1meffect-make orgs get\u001b[0m <ORG_ID>"
    )
    expect(HelpText.correct(tree, ["orgs", "get"], "$ getter")).toBe("$ getter")
    expect(HelpText.correct(tree, [], "'abc' is not a integer\n  An integer.")).toBe(
      "'abc' is not an integer\n  An integer."
    )
  })
})
