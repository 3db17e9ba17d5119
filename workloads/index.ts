// The registry of lock recipes, by the name configs and histories use.

import { lwt } from './lwt.ts';
import { lwtPlainDelete } from './lwt-plain-delete.ts';
import { lwtTtlPlainRelease } from './lwt-ttl-plain-release.ts';
import type { Recipe } from './recipe.ts';
import { writeThenDelete } from './write-then-delete.ts';
import { writeThenDeleteRetry } from './write-then-delete-retry.ts';

export type { Recipe } from './recipe.ts';

export const recipes: Record<string, Recipe> = Object.fromEntries(
  [writeThenDelete, lwtTtlPlainRelease, lwt, lwtPlainDelete, writeThenDeleteRetry].map((r) => [r.name, r]),
);
