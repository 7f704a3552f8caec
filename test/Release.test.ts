// The release set-up of both lines (docs/releasing.md), proven without publishing and without the npm registry: in a
// temporary copy of the repository's release files (each line's package.json, CHANGELOG.md and .changeset/, laid out as
// here), `changeset version` in each folder bumps that folder's package to its own major, writes its own CHANGELOG.md and
// leaves the other line's files alone; and `npm publish` of the Effect 3 line refuses the `latest` dist-tag.
// Imports: node's fs, child_process, http, os, path and url, effect's Schema, @effect/vitest, test/cli/spawned.ts.
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { collect } from "./cli/spawned.js"

const repo = fileURLToPath(new URL("..", import.meta.url))
const changesetBin = join(repo, "node_modules", "@changesets", "cli", "bin.js")

/** A release line: its folder (relative to the repository), the major it must stay on, and its npm dist-tag. */
interface Line {
  readonly name: string
  readonly folder: string
  readonly major: number
  readonly tag: string
}

const lines: ReadonlyArray<Line> = [
  { name: "1.x (Effect 4, the root)", folder: ".", major: 1, tag: "latest" },
  { name: "0.x (Effect 3, effect3/)", folder: "effect3", major: 0, tag: "effect3" }
]

const PackageJson = Schema.Struct({
  name: Schema.String,
  version: Schema.String,
  private: Schema.optional(Schema.Boolean),
  workspaces: Schema.optional(Schema.Unknown),
  publishConfig: Schema.Struct({ access: Schema.String, tag: Schema.String }),
  scripts: Schema.Struct({ prepublishOnly: Schema.String }),
  devDependencies: Schema.Struct({ "@changesets/cli": Schema.String })
})

const readPackage = (dir: string) =>
  Schema.decodeUnknownSync(PackageJson)(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")))

const Bump = Schema.Literals(["patch", "minor", "major"])
type Bump = typeof Bump.Type

/** A pending changeset of a folder: its file, the bump it asks for `effect-make`, and its text for users. */
interface Changeset {
  readonly file: string
  readonly bump: Bump
  readonly summary: string
}

const pendingChangesets = (dir: string): ReadonlyArray<Changeset> =>
  readdirSync(join(dir, ".changeset")).filter((file) => file.endsWith(".md") && file !== "README.md").map((file) => {
    const text = readFileSync(join(dir, ".changeset", file), "utf8")
    const match = /^---\n"effect-make": (\w+)\n---\n([\s\S]*)$/.exec(text)
    if (match === null) throw new Error(`${dir}/.changeset/${file}: not a changeset of "effect-make" alone`)
    return { file, bump: Schema.decodeUnknownSync(Bump)(match[1]), summary: (match[2] ?? "").trim() }
  })

/** `version` after `bump`, as changesets computes it (no prerelease here). */
const increment = (version: string, bump: Bump): string => {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number)
  return bump === "major"
    ? `${major + 1}.0.0`
    : bump === "minor"
    ? `${major}.${minor + 1}.0`
    : `${major}.${minor}.${patch + 1}`
}

const order: ReadonlyArray<Bump> = ["patch", "minor", "major"]
const highest = (bumps: ReadonlyArray<Bump>): Bump =>
  bumps.reduce<Bump>((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), "patch")

/** The environment of a child process: none of the npm_* variables of an `npm run` this suite may run under. */
const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_"))),
  ...extra
})

/** A temporary copy of the release files of both lines, laid out as in the repository, each with a probe changeset. */
const copyRepository = (): string => {
  const root = mkdtempSync(join(tmpdir(), "effect-make-release-"))
  for (const { folder, name } of lines) {
    for (const file of ["package.json", "CHANGELOG.md", ".changeset"]) {
      cpSync(join(repo, folder, file), join(root, folder, file), { recursive: true })
    }
    writeFileSync(
      join(root, folder, ".changeset", "release-check-probe.md"),
      `---\n"effect-make": patch\n---\n\nThe release check's probe entry of ${name}.\n`
    )
  }
  return root
}

/** Every file of a line's copy, with its text: to show that a run in the other folder left it as it was. */
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    ["package.json", "CHANGELOG.md", ...readdirSync(join(dir, ".changeset")).map((file) => `.changeset/${file}`)]
      .map((file) => [file, readFileSync(join(dir, file), "utf8")])
  )

const changesetVersion = (dir: string) =>
  execFileSync(process.execPath, [changesetBin, "version"], { cwd: dir, env: childEnv(), encoding: "utf8" })

describe("releasing both lines", () => {
  it("each line pins the same @changesets/cli, publishes publicly, and only the root line under `latest`", () => {
    const [root, effect3] = lines.map((line) => readPackage(join(repo, line.folder)))
    expect(root?.devDependencies["@changesets/cli"]).toMatch(/^\d+\.\d+\.\d+$/)
    // the suite runs the root's changesets in both folders: the effect3 folder pins the same version
    expect(effect3?.devDependencies["@changesets/cli"]).toBe(root?.devDependencies["@changesets/cli"])
    for (const line of lines) {
      const pkg = readPackage(join(repo, line.folder))
      expect(pkg.name).toBe("effect-make")
      // `changeset publish` skips a private package without a word
      expect(pkg.private).toBeUndefined()
      // npm workspaces would make the root one monorepo for changesets, versioning both lines at once
      expect(pkg.workspaces).toBeUndefined()
      expect(Number(pkg.version.split(".")[0])).toBe(line.major)
      expect(pkg.publishConfig).toEqual({ access: "public", tag: line.tag })
    }
    expect(effect3?.publishConfig.tag).not.toBe("latest")
  })

  it("no pending changeset carries an issue number or a date (they become CHANGELOG.md)", () => {
    for (const line of lines) {
      for (const changeset of pendingChangesets(join(repo, line.folder))) {
        expect(changeset.summary, `${line.folder}/.changeset/${changeset.file}`).not.toMatch(
          /\bissues?\s+#?\d+|(^|\s)#\d+\b|\b\d{4}-\d{2}-\d{2}\b/i
        )
      }
    }
  })

  it("`changeset version` in each folder bumps that line within its major and writes its own CHANGELOG.md only", () => {
    const copy = copyRepository()
    try {
      for (const line of lines) {
        const dir = join(copy, line.folder)
        const before = readPackage(dir)
        const changesets = pendingChangesets(dir)
        const expected = increment(before.version, highest(changesets.map((changeset) => changeset.bump)))
        const changelogBefore = readFileSync(join(dir, "CHANGELOG.md"), "utf8")
        const others = lines.filter((other) => other !== line).map((other) => join(copy, other.folder))
        const othersBefore = others.map(snapshot)

        changesetVersion(dir)

        const after = readPackage(dir)
        expect(after.version, line.name).toBe(expected)
        // a `major` changeset in effect3/ would release 1.0.0 of Effect 3 over the Effect 4 line
        expect(Number(after.version.split(".")[0]), line.name).toBe(line.major)
        const changelog = readFileSync(join(dir, "CHANGELOG.md"), "utf8")
        // the new entry goes right under the title, the earlier entries follow unchanged
        const title = "# effect-make\n"
        expect(changelogBefore.startsWith(`${title}\n## `), `${line.folder}/CHANGELOG.md starts with its title`).toBe(
          true
        )
        expect(changelog.startsWith(`${title}\n## ${expected}\n`), line.name).toBe(true)
        expect(changelog.endsWith(changelogBefore.slice(title.length)), line.name).toBe(true)
        for (const changeset of changesets) {
          expect(changelog, `${line.folder}/.changeset/${changeset.file}`).toContain(
            changeset.summary.split("\n")[0]
          )
        }
        // every changeset is used up; the other line's files are as they were
        expect(pendingChangesets(dir)).toEqual([])
        expect(others.map(snapshot), line.name).toEqual(othersBefore)
      }
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  }, 60_000)

  it("`npm publish` of each line runs only under the line's dist-tag (changeset publish passes --tag latest)", () => {
    const copy = copyRepository()
    try {
      // Refused at prepublishOnly, which npm runs before it builds, packs or asks the registry anything.
      const publish = (line: Line, args: ReadonlyArray<string>) =>
        spawnSync("npm", ["publish", "--dry-run", "--registry", "http://127.0.0.1:9", ...args], {
          cwd: join(copy, line.folder),
          env: childEnv(),
          encoding: "utf8"
        })
      const [root, effect3] = lines
      if (root === undefined || effect3 === undefined) throw new Error("two lines")
      for (const args of [[], ["--tag", "latest"]]) {
        const refused = publish(effect3, args)
        expect(refused.status, args.join(" ")).not.toBe(0)
        expect(refused.stderr).toContain(`published under the dist-tag ${effect3.tag} only`)
        expect(refused.stdout).not.toContain("npm run build")
      }
      expect(publish(root, ["--tag", effect3.tag]).stderr).toContain("published under the dist-tag latest only")
      // The guard passes under the line's own tag (run alone: a real publish would go on to build and pack).
      for (const line of lines) {
        const guard = readPackage(join(copy, line.folder)).scripts.prepublishOnly
        const run = (tag: string | undefined) =>
          spawnSync("sh", ["-c", guard], {
            cwd: join(copy, line.folder),
            env: childEnv(tag === undefined ? {} : { npm_config_tag: tag }),
            encoding: "utf8"
          }).status
        expect(run(line.tag === "latest" ? undefined : line.tag), line.name).toBe(0)
        expect(run(line.tag === "latest" ? effect3.tag : undefined), line.name).toBe(1)
      }
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  }, 60_000)

  it(
    "`changeset publish` in effect3/ without `--tag effect3` publishes nothing (its npm publish is refused)",
    async () => {
      // A registry on loopback that knows no package: changesets asks it whether effect-make is published (`npm info`),
      // then runs `npm publish <folder> --tag latest`, which the folder's prepublishOnly refuses before any upload.
      const requests: Array<string> = []
      const registry = createServer((request, response) => {
        requests.push(`${request.method} ${request.url}`)
        response.writeHead(404, { "content-type": "application/json" }).end("{\"error\":\"Not found\"}")
      })
      await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve))
      const address = registry.address()
      if (address === null || typeof address === "string") throw new Error("the registry listens on a TCP port")
      const { port } = address
      const copy = copyRepository()
      try {
        const result = await collect(spawn(process.execPath, [changesetBin, "publish", "--no-git-tag"], {
          cwd: join(copy, "effect3"),
          env: childEnv({ npm_config_registry: `http://127.0.0.1:${port}/`, CI: "true" })
        }))
        const output = result.stdout + result.stderr
        expect(result.code).not.toBe(0)
        expect(output).toContain("published under the dist-tag effect3 only")
        expect(output).toContain("packages failed to publish")
        // it asked about the package, and sent nothing
        expect(requests.length).toBeGreaterThan(0)
        expect(requests.every((request) => request.startsWith("GET "))).toBe(true)
      } finally {
        registry.close()
        rmSync(copy, { recursive: true, force: true })
      }
    },
    60_000
  )
})
