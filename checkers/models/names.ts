// The models' names alone, for a command line that lists them without loading any model.
export const MODEL_NAMES = ['register', 'cas-register', 'mutex', 'etcd', 'kv', 'lock'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
