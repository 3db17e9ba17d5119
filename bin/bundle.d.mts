/** Packages bundled into the CLI; every other bare import stays external. */
export const BUNDLED_PACKAGES: string[];
/** The package.json of each bundled package, for the build stamp. */
export function bundledPackageFiles(root: string): string[];
/** Bundles the CLI into `<outDir>/bundle/`; returns the entry relative to outDir. */
export function bundleCli(options: { esbuild: unknown; root: string; outDir: string }): Promise<string>;
