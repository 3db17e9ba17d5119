// A `ResolvedRecipe` is the resolved form of one name in `recipe:` / `matrix.recipe`: a built-in
// from workloads/, a user recipe from `recipes:` loaded from its `file:` (declarative YAML) or
// `module:` (a .ts/.js module exporting a Recipe), or a `command:` (an external client the
// runner speaks to over JSON lines). The config layer checks the entries' shape (here) and
// loads them (./resolve-recipes.ts); the runner receives one ResolvedRecipe per cell.
import { z } from 'zod';
import type { Recipe } from '../../workloads/recipe.ts';

/** User recipe names name cell folders and appear in matrix values, as nemesis names do. */
export const MAX_RECIPE_NAME_LENGTH = 64;

/** Why a key of `recipes:` cannot be a recipe name, or null (checked by load.ts, which can quote the key). */
export function recipeNameProblem(name: string): string | null {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return 'is not a name (lower-case letters, digits, dashes; it names cell folders)';
  if (name.length > MAX_RECIPE_NAME_LENGTH) return `is longer than ${MAX_RECIPE_NAME_LENGTH} characters (it names cell folders)`;
  return null;
}

export const RECIPE_FORMS = ['file', 'module', 'command'] as const;

/** One entry of `recipes:`: exactly one of its three forms. Paths are relative to the config file's folder. */
export const recipeEntry = z
  .strictObject({
    /** A declarative recipe (docs/recipes.md). */
    file: z.string().min(1).optional(),
    /** A .ts or .js module whose default export (or export `recipe`) is a Recipe. */
    module: z.string().min(1).optional(),
    /** An external client: the program and its arguments (docs/clients.md). */
    command: z.array(z.string().min(1)).min(1).optional(),
  })
  .superRefine((entry, ctx) => {
    const given = RECIPE_FORMS.filter((f) => entry[f] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `needs exactly one of ${RECIPE_FORMS.join(', ')}${given.length > 1 ? ` (it has ${given.join(' and ')})` : ''}`,
      });
    }
  });

export type RecipeEntry = z.output<typeof recipeEntry>;
export type RecipeForm = (typeof RECIPE_FORMS)[number];

export type ResolvedRecipe =
  | { kind: 'builtin'; name: string; recipe: Recipe }
  | { kind: 'file'; name: string; path: string; recipe: Recipe }
  | { kind: 'module'; name: string; path: string; recipe: Recipe }
  /** Started with `cwd` (the config file's folder) as working directory. */
  | { kind: 'command'; name: string; command: NonNullable<RecipeEntry['command']>; cwd: string };

/** Every recipe name a config may use, resolved: built-ins and the config's own. */
export type RecipeCatalog = ReadonlyMap<string, ResolvedRecipe>;
