/**
 * How a payguard function's code is bundled by esbuild: in AWS (`infra/constructs/payguard-function.ts`,
 * one bundle per function) and for the local engine's Lambda-like workers alike
 * (`local/engine/lambda-bundle.ts`, the worker and every function in one bundle with shared chunks).
 * ESM for Node.js 24, preferring a package's ES module build; the banner gives the bundle the
 * `require` that the CommonJS packages it holds call for Node's own modules (an ES module has none),
 * its import under a name no bundled module declares.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __payguardCreateRequire } from 'node:module'; const require = __payguardCreateRequire(import.meta.url);",
} as const;
