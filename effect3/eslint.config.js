// ESLint (flat config) with typescript-eslint and Effect's own dprint rule: the same lint + format
// pair the Effect monorepo uses, so the code reads like the packages it builds on. One tool does both
// linting and formatting (`npm run format` applies the formatter).
import effect from "@effect/eslint-plugin"
import tseslint from "typescript-eslint"

const serviceModules = [
  "src/Organizations.ts",
  "src/Invitations.ts",
  "src/Billing.ts",
  "src/OrganizationVariables.ts",
  "src/Usage.ts",
  "src/FeatureControls.ts",
  "src/AdminTeams.ts",
  "src/MakeClient.ts",
  "src/MakeConfig.ts",
  "src/Pagination.ts",
  "src/MakeError.ts",
  "src/domain/**",
  "src/api/**",
  "src/internal/**"
]

/** DESIGN.md floor 6: nothing below the CLI imports it. */
const noCli = { group: ["**/cli/**", "./cli/*"], message: "Nothing imports the CLI (floor 6)." }

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "bench/results/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "@effect": effect },
    rules: {
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/ban-ts-comment": "error",
      // `interface Team extends Schema.Schema.Type<typeof Team> {}`: the Effect idiom that gives a schema's type a name
      // of its own in hovers and errors
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }]
    }
  },
  {
    // DESIGN.md floor 6: the command is the top; nothing in the library imports it. (The blocks below replace this
    // rule for their files, so each repeats `noCli`.)
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noCli] }] }
  },
  {
    // DESIGN.md floors: the library below MakeApi never reaches for the emulator or Node specifics.
    files: serviceModules,
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          noCli,
          { group: ["**/testing/**", "./testing/*"], message: "The client never imports the emulator." },
          { group: ["@effect/platform-node", "@effect/platform-node/*"], message: "Node specifics live in MakeApi." }
        ]
      }]
    }
  },
  {
    // DESIGN.md floor 5: the workflows use the services only — no HTTP, no emulator, no Node specifics — and only the
    // durable engine's own module may reach for PostgreSQL and the cluster.
    files: ["src/workflows/**"],
    ignores: ["src/workflows/DurableEngine.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [{
          name: "@effect/platform",
          importNames: ["HttpClient", "HttpClientRequest", "HttpClientResponse", "FetchHttpClient"],
          message: "Workflows call the services, never HTTP."
        }],
        patterns: [
          noCli,
          { group: ["**/testing/**", "./testing/*"], message: "Workflows never import the emulator." },
          { group: ["**/MakeClient*", "**/api/**"], message: "Workflows call the services, not the client." },
          { group: ["@effect/platform-node", "@effect/platform-node/*"], message: "No Node specifics in workflows." },
          {
            group: ["@effect/sql-pg", "@effect/sql-pg/*", "@effect/cluster", "@effect/cluster/*"],
            message: "Only DurableEngine.ts may."
          }
        ]
      }]
    }
  },
  {
    // The emulator implements the contract on its own: it shares only domain/, api/ and MakeError.
    files: ["src/testing/Emulator*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          noCli,
          {
            group: [
              "../MakeClient*",
              "../MakeConfig*",
              "../Organizations*",
              "../OrganizationVariables*",
              "../Invitations*",
              "../Billing*",
              "../Usage*",
              "../FeatureControls*",
              "../AdminTeams*",
              "../MakeApi*",
              "../workflows/*",
              "../Pagination*"
            ],
            message: "The emulator may import only domain/, api/ and MakeError."
          }
        ]
      }]
    }
  },
  {
    // The same floor for the emulator's areas, store and middleware, one folder down.
    files: ["src/testing/emulator/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          {
            group: [
              "../../MakeClient*",
              "../../MakeConfig*",
              "../../Organizations*",
              "../../OrganizationVariables*",
              "../../Invitations*",
              "../../Billing*",
              "../../Usage*",
              "../../FeatureControls*",
              "../../AdminTeams*",
              "../../MakeApi*",
              "../../workflows/*",
              "../../Pagination*",
              "../MakeTest*",
              "../Emulator.js",
              "@effect/platform-node",
              "@effect/platform-node/*"
            ],
            message: "The emulator's areas import only effect, @effect/platform, domain/, api/, MakeError and testing/."
          }
        ]
      }]
    }
  },
  {
    // @effect/vitest's `layer` (Effect 3) swaps the shared `it`'s methods for its block's and never swaps them back:
    // a later test anywhere in the worker runs on that block's runtime and TestClock. test/support/layer.ts puts them
    // back; every block goes through it.
    files: ["test/**/*.ts"],
    ignores: ["test/support/layer.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [{ name: "@effect/vitest", importNames: ["layer"], message: "Use test/support/layer.ts." }]
      }],
      "no-restricted-syntax": ["error", {
        selector: "MemberExpression[object.name='it'][property.name='layer']",
        message: "Use `layer` from test/support/layer.ts: `it.layer` leaves its block's methods on the shared `it`."
      }]
    }
  }
)
