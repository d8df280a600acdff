// What the one-file build carries inside itself. scripts/package.mjs replaces this module when it
// bundles the tool (so the bundle, the executable and the npm tarball need no package folder); in
// the development build it is null and the same things are read from the package folder.

export interface Embedded {
  /** package.json's version. */
  readonly version: string;
  /** The commit the build was made from (`unknown` outside git; `-dirty` when files differed from it). */
  readonly commit: string;
  /** dist/catalog.json and dist/scan-plan.json as `npm run build` wrote them, as text. */
  readonly catalog: string;
  readonly scanPlan: string;
  /** The pattern files: path from the package folder (`patterns/…`) and text, sorted by path. */
  readonly patterns: ReadonlyArray<readonly [string, string]>;
}

export const EMBEDDED: Embedded | null = null;
