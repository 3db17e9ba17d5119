/** Whether dist/ was built from exactly the sources on disk (see dist-current.mjs). */
export function distIsCurrent(): boolean;
