// ESLint (flat config) with typescript-eslint's type-aware rules. Formatting is Prettier's alone
// (eslint-config-prettier, last, turns off every rule it would fight), so `npm run lint` passes or
// fails on code, never on layout. Import cycles and layering are checked by __tests__/layers.spec.ts
// (layers.json), which reads the imports as tsc does; an ESLint import plugin would add a second
// resolver and the slowest rule there is for the same answer.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

/** The Node.js globals the CommonJS files use (the app's loader, Jest's config). */
const NODE_GLOBALS = {
  require: "readonly",
  module: "writable",
  exports: "writable",
  process: "readonly",
  console: "readonly",
  __dirname: "readonly",
  __filename: "readonly",
};

export default defineConfig(
  {
    ignores: ["node_modules/", "cdktf.out/", "cdktf.out.staging-*/", ".gen/", ".cache/", ".tfcheck/", "review/", "bootstrap-state/", "**/*.d.ts"],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One TypeScript program for the whole project, as tsc --noEmit -p . builds it.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // staging.ts listens for signals before the directory they clean up exists; the handler reads
      // the variable that is assigned after it.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // `TerraformStack.isStack` and the like are static type guards that use no `this`: passing
      // them to `filter` is how cdktf's and constructs' own code calls them.
      "@typescript-eslint/unbound-method": ["error", { ignoreStatic: true }],
      // A promise nobody awaits loses its error: the diagram's render, a spawned terraform.
      "@typescript-eslint/no-floating-promises": "error",
      // `import { type X }`: type-only imports vanish from the bundle and are marked where they are.
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // ... and an import of types only is `import type`, which leaves no `require` behind.
      "@typescript-eslint/no-import-type-side-effects": "error",
      // Unused code is dead code (STYLE.md 12). `_name` marks what a destructuring drops on purpose
      // (the `"//"` comment key of a JSON file).
      "@typescript-eslint/no-unused-vars": ["error", { args: "after-used", ignoreRestSiblings: true, varsIgnorePattern: "^_", argsIgnorePattern: "^_" }],
      // Terraform JSON, plan JSON and cdktf's untyped blocks (a WAF rule's `statement`) are `any`
      // where they come in: their shape is Terraform's and the provider's, checked by the plans the
      // suite runs, not by a TypeScript type that would only restate it. The unsafe-* rules below
      // follow from the same values and would fire on every read of them.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // AWS's name rules refuse control characters (`[^\x00-\x1f\x7f]`): matching them is the point.
    files: ["src/aws/**"],
    rules: { "no-control-regex": "off" },
  },
  {
    // A setting's value as the message shows it: JSON.stringify spells every value a settings file
    // can hold; String() names the rest (a function or symbol passed in code) instead of dropping it.
    files: ["src/config/messages.ts"],
    rules: { "@typescript-eslint/no-base-to-string": "off" },
  },
  {
    // The JavaScript files (the app's loader, Jest's and this config) are linted without types.
    files: ["**/*.cjs", "**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ["**/*.cjs", "**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: NODE_GLOBALS },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
