// A small XML well-formedness check for the report tests (no XML parser is a dependency):
// balanced, properly nested tags, quoted attributes, no stray '<' or '&' in text.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
}

/** Returns the elements in document order; throws with the offset of the first error. */
export function parseWellFormed(doc: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: string[] = [];
  let i = 0;
  const body = doc.replace(/^<!DOCTYPE html>\s*/i, '');
  const text = (s: string, at: number): void => {
    if (s.includes('<')) throw new Error(`stray '<' at ${at}`);
    const amp = /&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)/i.exec(s);
    if (amp) throw new Error(`bare '&' at ${at + amp.index}: ${s.slice(amp.index, amp.index + 20)}`);
  };
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    if (lt < 0) {
      text(body.slice(i), i);
      break;
    }
    text(body.slice(i, lt), i);
    if (body.startsWith('<!--', lt)) {
      const end = body.indexOf('-->', lt);
      if (end < 0) throw new Error(`unclosed comment at ${lt}`);
      i = end + 3;
      continue;
    }
    const gt = body.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = body.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${lt}`);
    } else {
      const selfClosing = tag.endsWith('/');
      const m = /^([a-zA-Z][\w:.-]*)([\s\S]*?)\/?$/.exec(tag);
      if (!m?.[1]) throw new Error(`bad tag <${tag}> at ${lt}`);
      const attrs: Record<string, string> = {};
      const rest = (m[2] ?? '').trim();
      const attrRe = /([a-zA-Z_:][\w:.-]*)="([^"<]*)"\s*/y;
      let pos = 0;
      while (pos < rest.length) {
        attrRe.lastIndex = pos;
        const a = attrRe.exec(rest);
        if (!a?.[1]) throw new Error(`bad attribute in <${m[1]}> at ${lt}: ${rest.slice(pos, pos + 30)}`);
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} at ${lt}`);
        text(a[2] ?? '', lt);
        attrs[a[1]] = a[2] ?? '';
        pos = attrRe.lastIndex;
      }
      elements.push({ name: m[1], attrs });
      if (!selfClosing) stack.push(m[1]);
    }
    i = gt + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  return elements;
}
