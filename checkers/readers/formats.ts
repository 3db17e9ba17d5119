// The history formats' names alone, for a command line that lists them without loading a reader.
export const FORMATS = ['lockstorm', 'edn', 'porcupine-etcd', 'porcupine-kv'] as const;
export type Format = (typeof FORMATS)[number];
