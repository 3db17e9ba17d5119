// The names a config may use, taken from the modules that implement them, so a typo is caught
// before any container starts.
import { recipes } from '../../workloads/index.ts';
import { faultNeeds, validateNemesisMix } from '../nemesis/index.ts';
import type { Known } from './load.ts';

export function knownNames(): Known {
  return {
    recipes: Object.keys(recipes),
    checkNemesis: validateNemesisMix,
    faultNeeds,
    fencedRecipes: Object.values(recipes)
      .filter((r) => r.fenceToken)
      .map((r) => r.name),
  };
}
