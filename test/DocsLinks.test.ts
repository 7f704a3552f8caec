// The README and the pages of docs/ link to each other and to files of the repository: every relative link points to
// a file that exists, and every `#anchor` to a heading of its target, as GitHub renders them. A page renamed or a
// heading reworded shows here, not to a reader. Imports node: modules only.
import { describe, expect, it } from "@effect/vitest"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")

/** The Markdown pages a reader follows: the README and every page under docs/ (generated ones included). */
const pages = (): ReadonlyArray<string> => [
  "README.md",
  ...readdirSync(join(root, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => join("docs", file))
]

/** Text outside fenced code blocks: a link-like string in a program is not a link. */
const prose = (markdown: string): string => markdown.replace(/^```[\s\S]*?^```/gm, "")

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
const slug = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[`*]/g, "").replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-")

/** Every anchor a page offers: its headings' slugs (repeated headings get `-1`, `-2`, ... as on GitHub). */
const anchors = (markdown: string): ReadonlySet<string> => {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const [, heading = ""] of prose(markdown).matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const base = slug(heading)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    result.add(count === 0 ? base : `${base}-${count}`)
  }
  return result
}

/** The relative links of a page, `[text](target)`: web addresses and mail links are not ours to check. */
const links = (markdown: string): ReadonlyArray<string> =>
  [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "").filter((target) =>
    !/^[a-z]+:/i.test(target)
  )

describe("links between the README and docs/", () => {
  it("slug follows GitHub's rules", () => {
    expect(slug("The durable engine")).toBe("the-durable-engine")
    expect(slug("Plan, apply, tear down")).toBe("plan-apply-tear-down")
    expect(slug("The command line: `effect-make`")).toBe("the-command-line-effect-make")
  })

  for (const page of pages()) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const text = readFileSync(join(root, page), "utf8")
      const broken = links(text).filter((target) => {
        const [path = "", anchor] = target.split("#")
        const file = path === "" ? join(root, page) : join(root, dirname(page), decodeURI(path))
        if (!existsSync(file)) return true
        if (anchor === undefined || statSync(file).isDirectory()) return false
        return !anchors(readFileSync(file, "utf8")).has(anchor)
      })
      expect(broken).toEqual([])
    })
  }
})
