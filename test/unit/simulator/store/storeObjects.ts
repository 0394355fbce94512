/** Test helper shared by the store tests: adds an object record for `key` (`managed/user/1`) to `store`. */
import { newRecord, type ObjectRecord, type Store } from '../../../../server/src/core/simulator/store/store';

export function addObject(store: Store, key: string): ObjectRecord {
  const slash = key.lastIndexOf('/');
  const record = newRecord(key.slice(0, slash), key.slice(slash + 1), key, 1, {});
  store.addObject(record);
  return record;
}
