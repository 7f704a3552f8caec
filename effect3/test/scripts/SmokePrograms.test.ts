// The smoke test's program extraction (scripts/smoke/Programs.ts): which README blocks become programs, under which
// mode, and how examples' source imports become the package's entries.
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import {
  atFloor,
  fromExample,
  fromReadme,
  installLines,
  markdownBlocks,
  nameOf,
  toPackageImports
} from "../../scripts/smoke/Programs.js"
import * as Launch from "../../src/cli/Launch.js"

const readme = [
  "# Title",
  "```sh",
  "npm install",
  "```",
  "```ts",
  "const a = 1",
  "```",
  "<!-- smoke: compile-only -->",
  "```typescript",
  "const b = 2",
  "```",
  "<!-- smoke: skip -->",
  "```ts",
  "partial(",
  "```",
  "```ts",
  "import { it } from \"@effect/vitest\"",
  "```"
].join("\n")

describe("smoke programs", () => {
  it("takes every ts block, with its line and its marker, and leaves other languages out", () => {
    expect(markdownBlocks(readme)).toEqual([
      { line: 5, code: "const a = 1\n", mode: "run" },
      { line: 9, code: "const b = 2\n", mode: "compile-only" },
      { line: 13, code: "partial(\n", mode: "skip" },
      { line: 16, code: "import { it } from \"@effect/vitest\"\n", mode: "run" }
    ])
  })

  it("names test blocks .test.ts and exports top-level constants (declaration emit must name their types)", () => {
    const programs = fromReadme(readme, "effect-make")
    expect(programs.map((program) => program.file)).toEqual([
      "snippets/readme-0005.ts",
      "snippets/readme-0009.ts",
      "snippets/readme-0013.ts",
      "snippets/readme-0016.test.ts"
    ])
    expect(programs[0]?.source).toBe("export const a = 1\n")
    expect(programs[0]?.origin).toBe("README.md:5")
  })

  it("rewrites imports of the sources to the package's entries", () => {
    const source = [
      "import { Organizations } from \"../src/index.js\"",
      "import { NodeMakeApi } from '../src/node/index.js'",
      "import { MakeTest } from \"../../src/testing/index.js\"",
      "import * as MakeError from \"../src/MakeError.js\"",
      "import { DurableEngine } from \"../src/workflows/durable.js\"",
      "import { Effect } from \"effect\"",
      "import { helper } from \"./helper.js\""
    ].join("\n")
    expect(toPackageImports(source, "effect-make").split("\n")).toEqual([
      "import { Organizations } from \"effect-make\"",
      "import { NodeMakeApi } from 'effect-make/node'",
      "import { MakeTest } from \"effect-make/testing\"",
      "import * as MakeError from \"effect-make/MakeError\"",
      "import { DurableEngine } from \"effect-make/workflows/durable\"",
      "import { Effect } from \"effect\"",
      "import { helper } from \"./helper.js\""
    ])
  })

  it("reads an example's marker from a line comment", () => {
    expect(fromExample("examples/a.ts", "// smoke: compile-only\nconst x = 1\n", "effect-make").mode).toBe(
      "compile-only"
    )
    expect(fromExample("examples/b.ts", "const x = 1\n", "effect-make").mode).toBe("run")
  })

  it("reads the README's install lines: the command's names every package the command needs, at its range", () => {
    const install = installLines(readFileSync(new URL("../../README.md", import.meta.url), "utf8"))
    expect(install.command).toEqual(Launch.needed.map(([name, range]) => `${name}@${range}`))
    expect(install.library.map(nameOf)).not.toContain("@effect/cli")
    expect(
      installLines("npm install effect-make a@^1.2.3  # note\nnpm install effect-make a@^1.2.3 @effect/cli@^0.77.2")
    )
      .toEqual({ library: ["a@^1.2.3"], command: ["a@^1.2.3", "@effect/cli@^0.77.2"] })
    expect(() => installLines("npm install effect-make a@^1.2.3")).toThrow()
    // the line's own major named, so that npm does not pick the Effect 4 line's effect-make
    expect(installLines("npm install effect-make@^0.1 a@^1\nnpm install effect-make@^0.1 a@^1 @effect/cli@^0.77.2"))
      .toEqual({ library: ["a@^1"], command: ["a@^1", "@effect/cli@^0.77.2"] })
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
    expect(readme.split("\n").filter((line) => line.startsWith("npm install effect-make ")), "a line without @^0.1")
      .toEqual([])
    expect([atFloor("@effect/cli@^0.77.2"), atFloor("effect@^3.22.2"), nameOf("@effect/cli@^0.77.2")]).toEqual([
      "@effect/cli@0.77.2",
      "effect@3.22.2",
      "@effect/cli"
    ])
  })
})
