/**
 * A list whose items are made when asked for, one at a time: serializeJson writes it item by item
 * as it would write the array, each item garbage once written, so a large list (report.html's 25,000
 * cases, with their samples read from results.jsonl) is never held whole. JSON.stringify writes the
 * same text (through `toJSON`, making every item at once). Items are made again at each visit.
 */
export class LazyJsonArray<T> implements Iterable<T> {
  constructor(
    readonly length: number,
    private readonly item: (index: number) => T,
  ) {}

  at(index: number): T | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.length ? this.item(index) : undefined;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.item(i);
  }

  toJSON(): T[] {
    return Array.from(this);
  }
}
