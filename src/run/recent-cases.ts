/**
 * What was made for the cases used most recently, at most `capacity` of them: a run's trials come case
 * by case (plan order and the sequential order both keep a case's trials together), so the trials in
 * flight need only the last few. Holding a case's compiled checks for the whole run cost 1.3 KB per
 * case (8 MB at 6,250 cases); one evicted too early is only made again.
 */
export class RecentCases<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`RecentCases needs a capacity of at least 1, got ${capacity}`);
  }

  /** The value for `key`: made now (`make`) unless one of the last `capacity` keys asked for was this one. */
  get(key: K, make: () => V): V {
    let value = this.entries.get(key);
    if (value !== undefined) {
      // Most recent last: re-inserting moves it to the end of the Map's order.
      this.entries.delete(key);
    } else {
      value = make();
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    }
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
