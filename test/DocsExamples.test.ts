// Every ```ts block of the guides in docs/ compiles against the sources: the blocks become files of a scratch folder
// (under node_modules, so that `effect` and the other packages resolve as in an app), `effect-make` and its entries map
// to src/ through `paths`, and the root's TypeScript 7 checks them with the root's compiler options. A guide whose
// example stopped compiling fails here. Imports node: modules and scripts/smoke/Programs.ts (the README's block reader).
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { exportTopLevel, isTest, markdownBlocks } from "../scripts/smoke/Programs.js"

const root = fileURLToPath(new URL("../", import.meta.url))
const docs = join(root, "docs")

/** Every block of every guide, as a file name and its source; a block marked `<!-- smoke: skip -->` is left out. */
const blocks = readdirSync(docs).filter((file) => file.endsWith(".md")).sort().flatMap(
  (file) =>
    markdownBlocks(readFileSync(join(docs, file), "utf8")).filter((block) => block.mode !== "skip").map((block) => ({
      origin: `docs/${file}:${block.line}`,
      file: `${file.replace(/\.md$/, "")}-${String(block.line).padStart(4, "0")}${
        isTest(block.code) ? ".test" : ""
      }.ts`,
      source: exportTopLevel(block.code)
    }))
)

/** The package's entries, as an app imports them, mapped to the sources (relative to the scratch folder). */
const paths = {
  "effect-make": ["../../src/index.ts"],
  "effect-make/node": ["../../src/node/index.ts"],
  "effect-make/testing": ["../../src/testing/index.ts"],
  "effect-make/workflows/durable": ["../../src/workflows/durable.ts"],
  "effect-make/ai": ["../../src/ai/index.ts"],
  "effect-make/*": ["../../src/*.ts"]
}

describe("docs/*.md", () => {
  it("the guides hold TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThan(0)
  })

  it("every ```ts block compiles against src/ with the root's tsc and compiler options", () => {
    const scratch = join(root, "node_modules", `.docs-examples-${process.pid}`)
    mkdirSync(scratch, { recursive: true })
    try {
      for (const block of blocks) writeFileSync(join(scratch, block.file), block.source)
      writeFileSync(
        join(scratch, "tsconfig.json"),
        JSON.stringify({
          extends: "../../tsconfig.json",
          compilerOptions: { paths, noEmit: true },
          files: blocks.map((block) => block.file)
        })
      )
      const run = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", scratch], {
        cwd: scratch,
        encoding: "utf8",
        timeout: 240_000
      })
      // tsc names the scratch file; say which guide and line it came from
      const output = blocks.reduce(
        (text, block) => text.split(block.file).join(`${block.file} (${block.origin})`),
        `${run.stdout}${run.stderr}`
      )
      expect(output).toBe("")
      expect(run.status).toBe(0)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 300_000)
})
