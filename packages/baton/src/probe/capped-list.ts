/** Keeps the first `cap` items and counts all of them: compact records that still say how many. */
export class CappedList<T> {
  count = 0;
  readonly kept: T[] = [];

  constructor(readonly cap: number) {}

  push(item: T): void {
    this.count += 1;
    if (this.kept.length < this.cap) this.kept.push(item);
  }

  toJSON(): { count: number; cap: number; kept: T[] } {
    return { count: this.count, cap: this.cap, kept: [...this.kept] };
  }
}
