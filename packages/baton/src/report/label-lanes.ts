/** A label placed on the timeline: its anchor point, the box it covers and its lane (row). */
export interface PlacedLabel<T> {
  item: T;
  text: string;
  /** Where the label's line is (the moment it marks). */
  x: number;
  /** The text sits right of x ('start') or, near the right edge, left of it ('end'). */
  anchor: 'start' | 'end';
  left: number;
  right: number;
  lane: number;
}

export interface LabelLaneOptions {
  /** Leftmost and rightmost x a label may cover. */
  minX: number;
  maxX: number;
  /** Width of one character: labels use a monospace font, so this bounds the real width. */
  charWidth: number;
  /** Space kept between the text and its line, and between two labels in a lane. */
  pad: number;
  /** Longer texts are cut with an ellipsis (the full text stays in the title). */
  maxChars: number;
}

/** Cuts `text` to `max` characters, ending with an ellipsis when cut. */
export function clipLabel(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * Puts each label in the first lane where it overlaps no other label, in time order, opening a
 * new lane when none fits. Widths are computed from a monospace character width, so two labels in
 * one lane can never print over each other (the old timeline cycled four fixed rows, and a
 * canary's many step marks printed over each other). Pure.
 */
export function layoutLabels<T>(items: ReadonlyArray<{ x: number; text: string; item: T }>, o: LabelLaneOptions): PlacedLabel<T>[] {
  const lanes: number[] = [];
  const placed: PlacedLabel<T>[] = [];
  for (const it of [...items].sort((a, b) => a.x - b.x)) {
    const text = clipLabel(it.text, o.maxChars);
    const width = text.length * o.charWidth;
    // Near the right edge the text goes left of its line so it stays inside the chart.
    const anchor = it.x + o.pad + width > o.maxX ? 'end' : 'start';
    const left = anchor === 'start' ? it.x + o.pad : Math.max(o.minX, it.x - o.pad - width);
    const right = anchor === 'start' ? it.x + o.pad + width : it.x - o.pad;
    // A lane remembers the rightmost edge of any of its labels: a new one starts past it.
    let lane = lanes.findIndex((edge) => edge + o.pad <= left);
    if (lane < 0) {
      lane = lanes.length;
      lanes.push(right);
    } else lanes[lane] = Math.max(lanes[lane] ?? right, right);
    placed.push({ item: it.item, text, x: it.x, anchor, left, right, lane });
  }
  return placed;
}
