/**
 * Go's text/template grammar (text/template/parse: lex.go and parse.go), as Helm uses it: text and actions between
 * `{{` and `}}`, trim markers (`{{- ` and ` -}}`), comments, pipelines with variable declarations, and the control
 * actions if/else if/else, range, with, define, template, block, break, continue. Every node keeps its offsets in
 * the template text, so rendered output can be traced back to where it was written.
 */

export type Node =
  | { kind: 'text'; start: number; end: number; text: string }
  | { kind: 'action'; start: number; end: number; pipe: Pipe }
  | { kind: 'if' | 'with'; start: number; end: number; pipe: Pipe; list: Node[]; else: Node[] | null }
  | { kind: 'range'; start: number; end: number; pipe: Pipe; list: Node[]; else: Node[] | null }
  | { kind: 'template'; start: number; end: number; name: string; pipe: Pipe | null }
  | { kind: 'break' | 'continue'; start: number; end: number };

export interface Pipe {
  start: number;
  end: number;
  /** `$x := …` / `$i, $v := …` (declare) or `$x = …` (assign). */
  decl: string[];
  assign: boolean;
  cmds: Command[];
}

export interface Command {
  start: number;
  end: number;
  args: Arg[];
}

export type Arg =
  | { kind: 'field'; start: number; end: number; names: string[] }
  | { kind: 'variable'; start: number; end: number; name: string; names: string[] }
  | { kind: 'identifier'; start: number; end: number; name: string }
  | { kind: 'dot'; start: number; end: number }
  | { kind: 'nil'; start: number; end: number }
  | { kind: 'bool'; start: number; end: number; value: boolean }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number; int: boolean }
  | { kind: 'pipe'; start: number; end: number; pipe: Pipe; names: string[] };

export interface Template {
  /** The file's own tree, and the named templates it defines (`define`, `block`). */
  root: Node[];
  defines: Map<string, Node[]>;
}

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

// ── Lexing ───────────────────────────────────────────────────────────────────────────────────────────────────

type Token =
  | { t: 'text'; start: number; end: number; value: string }
  | { t: 'open' | 'close'; start: number; end: number }
  | { t: 'comment'; start: number; end: number }
  | { t: 'word' | 'field' | 'variable' | 'string' | 'number' | 'char'; start: number; end: number; value: string }
  | { t: '|' | '(' | ')' | ':=' | '=' | ','; start: number; end: number };

const SPACE = /[ \t\r\n]/;
const ALNUM = /[A-Za-z0-9_]/;

/** Tokens of a template; trim markers applied to the text around them, as lex.go does. */
function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    const textEnd = open < 0 ? src.length : open;
    let textValue = src.slice(i, textEnd);
    let actionStart = textEnd + 2;
    if (open >= 0 && src[open + 2] === '-' && SPACE.test(src[open + 3] ?? '')) {
      textValue = textValue.replace(/[ \t\r\n]+$/, '');
      actionStart = open + 3;
    }
    if (textValue.length > 0) out.push({ t: 'text', start: i, end: i + textValue.length, value: textValue });
    if (open < 0) break;
    i = lexAction(src, open, actionStart, out);
  }
  return out;
}

/** Lexes one action from `{{` at `open`; returns the offset after `}}` (and after trimmed space). */
function lexAction(src: string, open: number, from: number, out: Token[]): number {
  let i = from;
  while (i < src.length && SPACE.test(src[i]) && !src.startsWith('*/', i)) i++;
  if (src.startsWith('/*', i)) {
    const close = src.indexOf('*/', i + 2);
    if (close < 0) throw new TemplateSyntaxError('unclosed comment', open);
    let j = close + 2;
    let trimAfter = false;
    if (SPACE.test(src[j] ?? '') && src.startsWith('-}}', j + 1)) {
      trimAfter = true;
      j += 4;
    } else if (src.startsWith('}}', j)) {
      j += 2;
    } else {
      throw new TemplateSyntaxError('comment ends before closing delimiter', open);
    }
    out.push({ t: 'comment', start: open, end: j });
    return trimAfter ? skipSpace(src, j) : j;
  }
  out.push({ t: 'open', start: open, end: from });
  for (;;) {
    while (i < src.length && SPACE.test(src[i])) {
      if (src.startsWith('-}}', i + 1) && SPACE.test(src[i])) break;
      i++;
    }
    if (i >= src.length) throw new TemplateSyntaxError('unclosed action', open);
    if (SPACE.test(src[i]) && src.startsWith('-}}', i + 1)) {
      out.push({ t: 'close', start: i, end: i + 4 });
      return skipSpace(src, i + 4);
    }
    if (src.startsWith('}}', i)) {
      out.push({ t: 'close', start: i, end: i + 2 });
      return i + 2;
    }
    const c = src[i];
    const start = i;
    if (c === '|' || c === '(' || c === ')' || c === ',' || c === '=') {
      out.push({ t: c, start, end: i + 1 });
      i++;
    } else if (c === ':' && src[i + 1] === '=') {
      out.push({ t: ':=', start, end: i + 2 });
      i += 2;
    } else if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') i++;
        if (src[i] === '\n') throw new TemplateSyntaxError('unterminated quoted string', start);
        i++;
      }
      if (i >= src.length) throw new TemplateSyntaxError('unterminated quoted string', start);
      i++;
      out.push({ t: 'string', start, end: i, value: unquote(src.slice(start, i), start) });
    } else if (c === '`') {
      const close = src.indexOf('`', i + 1);
      if (close < 0) throw new TemplateSyntaxError('unterminated raw quoted string', start);
      i = close + 1;
      out.push({ t: 'string', start, end: i, value: src.slice(start + 1, close) });
    } else if (c === "'") {
      i++;
      while (i < src.length && src[i] !== "'") {
        if (src[i] === '\\') i++;
        i++;
      }
      i++;
      out.push({ t: 'char', start, end: i, value: unquote(`"${src.slice(start + 1, i - 1)}"`, start) });
    } else if (c === '.' && !/[0-9]/.test(src[i + 1] ?? '')) {
      i++;
      while (i < src.length && ALNUM.test(src[i])) i++;
      out.push({ t: 'field', start, end: i, value: src.slice(start + 1, i) });
    } else if (c === '$') {
      i++;
      while (i < src.length && ALNUM.test(src[i])) i++;
      out.push({ t: 'variable', start, end: i, value: src.slice(start, i) });
    } else if (/[0-9+\-.]/.test(c)) {
      i++;
      while (i < src.length && /[0-9A-Za-z_.+\-]/.test(src[i]) && !(/[+\-]/.test(src[i]) && !/[eEpP]/.test(src[i - 1]))) i++;
      out.push({ t: 'number', start, end: i, value: src.slice(start, i) });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && ALNUM.test(src[i])) i++;
      out.push({ t: 'word', start, end: i, value: src.slice(start, i) });
    } else {
      throw new TemplateSyntaxError(`unexpected ${JSON.stringify(c)} in action`, i);
    }
  }
}

function skipSpace(src: string, i: number): number {
  while (i < src.length && SPACE.test(src[i])) i++;
  return i;
}

/** A Go interpreted string literal's value (the escapes Go accepts). */
function unquote(literal: string, at: number): string {
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const e = body[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
    if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) throw new TemplateSyntaxError('invalid escape in string', at);
      out += e === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (e in simple) {
      out += simple[e];
    } else {
      throw new TemplateSyntaxError('invalid escape in string', at);
    }
  }
  return out;
}

// ── Parsing ──────────────────────────────────────────────────────────────────────────────────────────────────

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** Parses a template file. Throws TemplateSyntaxError where Go's parser would fail. */
export function parseTemplate(src: string): Template {
  const p = new Parser(lex(src));
  const defines = new Map<string, Node[]>();
  const root = p.list(defines, new Set(['eof']));
  return { root, defines };
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  /** Nodes until one of the `stops` keywords (or the end); the stop is left for the caller. */
  list(defines: Map<string, Node[]>, stops: Set<string>, loop = false): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.toks[this.i];
      if (!t) {
        if (stops.has('eof')) return nodes;
        throw new TemplateSyntaxError('unexpected EOF', this.toks[this.toks.length - 1]?.end ?? 0);
      }
      if (t.t === 'text') { nodes.push({ kind: 'text', start: t.start, end: t.end, text: t.value }); this.i++; continue; }
      if (t.t === 'comment') { this.i++; continue; }
      if (t.t !== 'open') throw new TemplateSyntaxError('unexpected token', t.start);
      const word = this.toks[this.i + 1];
      const keyword = word?.t === 'word' && KEYWORDS.has(word.value) ? word.value : null;
      if (keyword && stops.has(keyword)) return nodes;
      if (keyword === 'end' || keyword === 'else') throw new TemplateSyntaxError(`unexpected {{${keyword}}}`, t.start);
      this.i += keyword ? 2 : 1;
      const start = t.start;
      switch (keyword) {
        case 'if': case 'with': case 'range': {
          nodes.push(this.control(keyword, start, defines, loop || keyword === 'range'));
          break;
        }
        case 'define': case 'block': {
          const name = this.expect('string');
          const pipe = keyword === 'block' ? this.pipe(false) : (this.expect('close'), null);
          const body = this.list(defines, new Set(['end']), false);
          this.i += 2;
          this.expect('close');
          defines.set(name.value, body);
          if (keyword === 'block') nodes.push({ kind: 'template', start, end: this.prevEnd(), name: name.value, pipe });
          break;
        }
        case 'template': {
          const name = this.expect('string');
          const next = this.toks[this.i];
          const pipe = next?.t === 'close' ? (this.i++, null) : this.pipe(false);
          nodes.push({ kind: 'template', start, end: this.prevEnd(), name: name.value, pipe });
          break;
        }
        case 'break': case 'continue': {
          if (!loop) throw new TemplateSyntaxError(`{{${keyword}}} outside {{range}}`, start);
          this.expect('close');
          nodes.push({ kind: keyword, start, end: this.prevEnd() });
          break;
        }
        default:
          nodes.push({ kind: 'action', start, end: 0, pipe: this.pipe(true) });
          (nodes[nodes.length - 1] as { end: number }).end = this.prevEnd();
      }
    }
  }

  /** if/with/range: the pipeline, the list, `else` (or `else if`/`else with`, which nest), `end`. */
  private control(kind: 'if' | 'with' | 'range', start: number, defines: Map<string, Node[]>, loop: boolean): Node {
    const pipe = this.pipe(kind === 'range');
    const list = this.list(defines, new Set(['else', 'end']), loop);
    let elseList: Node[] | null = null;
    const kw = (this.toks[this.i + 1] as { value?: string }).value;
    this.i += 2;
    if (kw === 'else') {
      const next = this.toks[this.i];
      if (next?.t === 'word' && (next.value === 'if' || next.value === 'with') && kind !== 'range') {
        // `{{else if …}}` is an `if` inside the else branch that shares this `end`.
        this.i++;
        elseList = [this.control(next.value as 'if' | 'with', next.start, defines, loop)];
        return { kind, start, end: this.prevEnd(), pipe, list, else: elseList } as Node;
      }
      this.expect('close');
      elseList = this.list(defines, new Set(['end']), kind === 'range' ? false : loop);
      this.i += 2;
    }
    this.expect('close');
    return { kind, start, end: this.prevEnd(), pipe, list, else: elseList } as Node;
  }

  /** A pipeline up to `}}` or `)`; `decls` allows `$v :=` / `$i, $v :=` / `$v =`. */
  pipe(decls: boolean, closer: 'close' | ')' = 'close'): Pipe {
    const first = this.toks[this.i];
    const start = first?.start ?? 0;
    const decl: string[] = [];
    let assign = false;
    if (first?.t === 'variable') {
      const after = this.toks[this.i + 1];
      if (after?.t === ':=' || after?.t === '=') {
        decl.push(first.value);
        assign = after.t === '=';
        this.i += 2;
      } else if (after?.t === ',' && this.toks[this.i + 2]?.t === 'variable' && this.toks[this.i + 3]?.t === ':=') {
        decl.push(first.value, (this.toks[this.i + 2] as { value: string }).value);
        this.i += 4;
      }
    }
    void decls;
    const cmds: Command[] = [];
    for (;;) {
      const cmd = this.command(closer);
      cmds.push(cmd);
      const t = this.toks[this.i];
      if (t?.t === '|') { this.i++; continue; }
      if (t?.t === closer) { this.i++; break; }
      throw new TemplateSyntaxError('unexpected token in pipeline', t?.start ?? 0);
    }
    return { start, end: this.prevEnd(), decl, assign, cmds };
  }

  private command(closer: 'close' | ')'): Command {
    const args: Arg[] = [];
    const start = this.toks[this.i]?.start ?? 0;
    for (;;) {
      const t = this.toks[this.i];
      if (!t || t.t === '|' || t.t === closer) break;
      args.push(this.operand());
    }
    if (args.length === 0) throw new TemplateSyntaxError('missing value for command', start);
    return { start, end: this.prevEnd(), args };
  }

  private operand(): Arg {
    const t = this.toks[this.i++];
    let arg: Arg;
    switch (t.t) {
      case 'field': {
        if (t.value === '') { arg = { kind: 'dot', start: t.start, end: t.end }; break; }
        const names = [t.value];
        while (this.toks[this.i]?.t === 'field' && this.toks[this.i].start === this.toks[this.i - 1].end) names.push((this.toks[this.i++] as { value: string }).value);
        return { kind: 'field', start: t.start, end: this.prevEnd(), names };
      }
      case 'variable': arg = { kind: 'variable', start: t.start, end: t.end, name: t.value, names: [] }; break;
      case 'string': arg = { kind: 'string', start: t.start, end: t.end, value: t.value }; break;
      case 'char': arg = { kind: 'number', start: t.start, end: t.end, value: t.value.codePointAt(0) ?? 0, int: true }; break;
      case 'number': arg = { kind: 'number', start: t.start, end: t.end, ...parseNumber(t.value, t.start) }; break;
      case 'word':
        if (t.value === 'nil') arg = { kind: 'nil', start: t.start, end: t.end };
        else if (t.value === 'true' || t.value === 'false') arg = { kind: 'bool', start: t.start, end: t.end, value: t.value === 'true' };
        else arg = { kind: 'identifier', start: t.start, end: t.end, name: t.value };
        break;
      case '(': {
        const pipe = this.pipe(false, ')');
        arg = { kind: 'pipe', start: t.start, end: this.prevEnd(), pipe, names: [] };
        break;
      }
      default:
        throw new TemplateSyntaxError('unexpected token in operand', t.start);
    }
    // A chain: `$x.a.b`, `(pipe).a`.
    if (arg.kind === 'variable' || arg.kind === 'pipe') {
      while (this.toks[this.i]?.t === 'field' && this.toks[this.i].start === this.toks[this.i - 1].end) {
        arg.names.push((this.toks[this.i++] as { value: string }).value);
      }
      arg.end = this.prevEnd();
    }
    return arg;
  }

  private expect(t: Token['t']): { start: number; end: number; value: string } {
    const tok = this.toks[this.i];
    if (tok?.t !== t) throw new TemplateSyntaxError(`expected ${t}`, tok?.start ?? 0);
    this.i++;
    return { value: '', ...tok } as { start: number; end: number; value: string };
  }

  private prevEnd(): number {
    return this.toks[this.i - 1]?.end ?? 0;
  }
}

function parseNumber(text: string, at: number): { value: number; int: boolean } {
  const clean = text.replace(/_/g, '');
  if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/.test(clean)) {
    const sign = clean.startsWith('-') ? -1 : 1;
    const body = clean.replace(/^[+-]/, '');
    const value = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body.replace(/^0[oO]/, '0o'));
    return { value: sign * value, int: true };
  }
  const f = Number(clean);
  if (Number.isNaN(f)) throw new TemplateSyntaxError(`bad number syntax: ${JSON.stringify(text)}`, at);
  return { value: f, int: false };
}
