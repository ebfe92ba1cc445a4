// Who is signed in, and the catalog their forms use.
import type { Account, Catalog } from '../api/types';

export const session = $state<{ account: Account | null; catalog: Catalog | null }>({
  account: null,
  catalog: null,
});
