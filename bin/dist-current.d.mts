/** The path of the CLI entry in dist/ when dist/ was built from exactly the sources on disk; null otherwise (see dist-current.mjs). */
export function currentDistEntry(): string | null;
/** Whether dist/ was built from exactly the sources on disk (see dist-current.mjs). */
export function distIsCurrent(): boolean;
