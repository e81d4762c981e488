/**
 * Puts the HCL that `cdktf synth --hcl` renders into the form `terraform fmt` gives it, and
 * writes its quoted references as Terraform >= 0.12 expects them, without changing what any
 * expression means: cdktf indents nothing, aligns no `=`, wraps every reference in `"${...}"` and
 * quotes `provider`, `depends_on` and `ignore_changes` references, which `terraform validate`
 * warns about ("Quoted references are deprecated"). Terraform itself is not needed to synthesize,
 * so this is done here rather than by running `terraform fmt`; __tests__/hcl.spec.ts checks every
 * stack against `terraform fmt -check` and `terraform validate`.
 *
 * It covers what cdktf renders: one statement per line, quoted strings with templates; a heredoc
 * or a comment is refused (HclFormatError) rather than laid out differently from `terraform fmt`.
 */

/** A token of one line; a quoted string is one token, its interpolations tokens of their own. */
type Token = Plain | Quoted;

interface Plain {
  readonly kind: "ident" | "number" | "punct";
  readonly text: string;
}

interface Quoted {
  readonly kind: "string";
  readonly parts: readonly Part[];
}

/** Literal text as written (escapes kept), or a `${...}` / `%{...}` sequence. */
type Part = { readonly text: string } | Sequence;

interface Sequence {
  /** `${`, `${~`, `%{` or `%{~`. */
  readonly open: string;
  readonly tokens: readonly Token[];
  /** `}` or `~}`. */
  readonly close: string;
}

/** The input has a construct this formatter does not lay out (see the file's comment). */
export class HclFormatError extends Error {
  constructor(message: string, line: number) {
    super(`HCL line ${line}: ${message}`);
    this.name = "HclFormatError";
  }
}

const OPENERS = new Set(["{", "[", "("]);
const CLOSERS = new Set(["}", "]", ")"]);
const OPERATORS = ["...", "==", "!=", "<=", ">=", "&&", "||", "=>", "::"];
const SINGLE_PUNCT = "{}[]()=,.:?!+-*/%<>~";

/** Blocks whose `provider` and `depends_on` are meta-arguments, references that Terraform wants unquoted. */
const REFERENCING_BLOCKS = new Set(["resource", "data"]);
const DEPENDING_BLOCKS = new Set(["resource", "data", "module", "output", "check"]);
/** `provider = "aws.dr"`, `depends_on = ["aws_x.y"]`, `ignore_changes = ["desired_count"]`. */
const REFERENCE = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

/** The formatted text of `hcl` (see the file's comment). */
export function formatHcl(hcl: string): string {
  const scopes: Scope[] = [];
  const lines = hcl.split("\n").map((text, index) => unquoteReferences(unwrapAll(new Lexer(text, index + 1).line()), scopes));
  return layOut(lines).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Lexing: one line at a time (cdktf writes one statement per line, and a quoted string cannot
// span lines).

class Lexer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lineNumber: number,
  ) {}

  line(): Token[] {
    const tokens = this.tokens(false);
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text[this.pos]}"`);
    return tokens;
  }

  private fail(message: string): never {
    throw new HclFormatError(`${message} at column ${this.pos + 1}`, this.lineNumber);
  }

  /** Tokens up to the end of the line or, inside a template sequence, up to its closing brace. */
  private tokens(inSequence: boolean): Token[] {
    const tokens: Token[] = [];
    let braces = 0;
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos];
      const rest = text.slice(this.pos);
      if (c === " " || c === "\t" || c === "\r") {
        this.pos += 1;
      } else if (c === "#" || rest.startsWith("//") || rest.startsWith("/*")) {
        this.fail("a comment is not supported");
      } else if (rest.startsWith("<<")) {
        this.fail("a heredoc is not supported");
      } else if (c === '"') {
        this.pos += 1;
        tokens.push(this.quoted());
      } else if (/[A-Za-z_]/.test(c)) {
        const ident = /^[A-Za-z_][\w-]*/.exec(rest)![0];
        tokens.push({ kind: "ident", text: ident });
        this.pos += ident.length;
      } else if (/\d/.test(c)) {
        const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest)![0];
        tokens.push({ kind: "number", text: number });
        this.pos += number.length;
      } else if (inSequence && braces === 0 && (c === "}" || rest.startsWith("~}"))) {
        return tokens;
      } else {
        const punct = OPERATORS.find((op) => rest.startsWith(op)) ?? (SINGLE_PUNCT.includes(c) ? c : this.fail(`unexpected "${c}"`));
        if (punct === "{") braces += 1;
        if (punct === "}") braces -= 1;
        tokens.push({ kind: "punct", text: punct });
        this.pos += punct.length;
      }
    }
    if (inSequence) this.fail("a template sequence is not closed on its line");
    return tokens;
  }

  /** A quoted string, its opening quote read. */
  private quoted(): Quoted {
    const parts: Part[] = [];
    let literal = "";
    const text = this.text;
    while (this.pos < text.length) {
      const rest = text.slice(this.pos);
      if (rest[0] === '"') {
        this.pos += 1;
        if (literal) parts.push({ text: literal });
        return { kind: "string", parts };
      }
      const escaped = /^(\\.|\$\$\{|%%\{)/.exec(rest);
      const sequence = /^[$%]\{~?/.exec(rest);
      if (escaped) {
        literal += escaped[0];
        this.pos += escaped[0].length;
      } else if (sequence) {
        if (literal) parts.push({ text: literal });
        literal = "";
        this.pos += sequence[0].length;
        const tokens = this.tokens(true);
        const close = text.startsWith("~}", this.pos) ? "~}" : "}";
        this.pos += close.length;
        parts.push({ open: sequence[0], tokens, close });
      } else {
        literal += rest[0];
        this.pos += 1;
      }
    }
    return this.fail("a quoted string is not closed on its line");
  }
}

// ---------------------------------------------------------------------------------------------
// Rewriting: the same expressions, written as `terraform fmt` and `terraform validate` expect.

function isSequence(part: Part): part is Sequence {
  return "open" in part;
}

function isPunct(token: Token | undefined, ...texts: string[]): boolean {
  return token?.kind === "punct" && texts.includes(token.text);
}

/**
 * `"${expr}"` -> `expr` wherever the template is that one interpolation: HCL gives such a
 * template the expression's own value, unconverted, so both mean the same. Only where `expr`
 * stands as a whole expression (an attribute's value, an element, an argument, an object's
 * value), never next to an operator, an index or as an object key (`{"${k}" = v}` keys by k's
 * value, `{k = v}` by the name k).
 */
function unwrapAll(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  tokens.forEach((token, i) => {
    if (token.kind !== "string") {
      out.push(token);
      return;
    }
    const parts = token.parts.map((p) => (isSequence(p) ? { ...p, tokens: unwrapAll(p.tokens) } : p));
    const only = parts.length === 1 ? parts[0] : undefined;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const standsAlone = (before === undefined || isPunct(before, "=", ",", "(", "[", "{")) && (after === undefined || isPunct(after, ",", ")", "]", "}"));
    if (only && isSequence(only) && only.open === "${" && only.close === "}" && only.tokens.length > 0 && standsAlone) out.push(...only.tokens);
    else out.push({ kind: "string", parts });
  });
  return out;
}

/** An open bracket of the file: a block (`resource "x" "y" {`), an attribute's value (`depends_on = [`) or neither. */
interface Scope {
  readonly block?: string;
  readonly attribute?: string;
}

/**
 * Unquotes the references Terraform wants bare: a resource's `provider`, `depends_on` and a
 * `lifecycle`'s `ignore_changes`. `scopes` are the brackets open before the line, updated.
 */
function unquoteReferences(tokens: Token[], scopes: Scope[]): Token[] {
  return tokens.map((token, i) => {
    const inside = (depth: number) => scopes[scopes.length - depth];
    let reference = false;
    if (token.kind === "string") {
      const value = tokens[i - 2];
      const name = value?.kind === "ident" && isPunct(tokens[i - 1], "=") && i === 2 ? value.text : undefined;
      const list = inside(1);
      reference =
        (name === "provider" && scopes.length === 1 && REFERENCING_BLOCKS.has(inside(1).block ?? "")) ||
        (list?.attribute === "depends_on" && scopes.length === 2 && DEPENDING_BLOCKS.has(inside(2).block ?? "")) ||
        (list?.attribute === "ignore_changes" && inside(2)?.block === "lifecycle" && scopes.length === 3 && REFERENCING_BLOCKS.has(inside(3).block ?? ""));
    } else if (token.kind === "punct" && OPENERS.has(token.text)) {
      scopes.push(scopeOf(tokens, i));
    } else if (token.kind === "punct" && CLOSERS.has(token.text)) {
      scopes.pop();
    }
    if (reference && token.kind === "string") {
      const text = token.parts.length === 1 && !isSequence(token.parts[0]) ? token.parts[0].text : "";
      if (REFERENCE.test(text)) return { kind: "ident", text };
    }
    return token;
  });
}

function scopeOf(tokens: readonly Token[], open: number): Scope {
  const head = tokens.slice(0, open);
  const first = head[0];
  // A block: `type "label" ... {` from the line's start, with no `=`.
  if (isPunct(tokens[open], "{") && first?.kind === "ident" && head.slice(1).every((t) => t.kind === "string" || t.kind === "ident")) {
    return { block: first.text };
  }
  const name = tokens[open - 2];
  if (isPunct(tokens[open - 1], "=") && name?.kind === "ident") return { attribute: name.text };
  return {};
}

// ---------------------------------------------------------------------------------------------
// Layout: hclwrite's (github.com/hashicorp/hcl/v2/hclwrite, format.go), which `terraform fmt` uses.

/** +1 for an opening bracket, -1 for a closing one, over a line's top-level tokens (a string's sequences balance). */
function bracketChange(token: Token): number {
  if (token.kind !== "punct") return 0;
  return OPENERS.has(token.text) ? 1 : CLOSERS.has(token.text) ? -1 : 0;
}

/**
 * Indents two spaces per level of open brackets (formatIndent), then aligns the `=` of each run
 * of consecutive attribute lines whose value ends on its line (formatCells).
 */
function layOut(lines: readonly Token[][]): string[] {
  const indents: number[] = [];
  const laid = lines.map((tokens) => {
    if (tokens.length === 0) return { lead: "", assign: undefined as string | undefined };
    const net = tokens.reduce((sum, t) => sum + bracketChange(t), 0);
    let indent = 2 * indents.length;
    if (net > 0) indents.push(net);
    else if (net < 0) {
      let closed = -net;
      while (closed > 0 && indents.length > 0) {
        const top = indents[indents.length - 1];
        if (closed >= top) {
          closed -= top;
          indents.pop();
        } else {
          indents[indents.length - 1] = top - closed;
          closed = 0;
        }
      }
      indent = 2 * indents.length;
    }
    // hclwrite looks at the line's first `=`, even one in an interpolation, which never ends a value.
    const equals = tokens.findIndex((t, i) => (i > 0 && isPunct(t, "=")) || hasEquals(t));
    const assigns = equals > 0 && isPunct(tokens[equals], "=") && tokens.slice(equals).reduce((sum, t) => sum + bracketChange(t), 0) === 0;
    const lead = " ".repeat(indent) + render(assigns ? tokens.slice(0, equals) : tokens, undefined);
    return { lead, assign: assigns ? render(tokens.slice(equals), tokens[equals - 1]) : undefined };
  });
  for (let start = 0; start < laid.length; start += 1) {
    if (laid[start].assign === undefined) continue;
    let end = start;
    while (laid[end + 1]?.assign !== undefined) end += 1;
    const run = laid.slice(start, end + 1);
    const width = Math.max(...run.map((line) => line.lead.length));
    for (const line of run) line.lead = line.lead.padEnd(width + 1);
    start = end;
  }
  return laid.map((line) => line.lead + (line.assign ?? ""));
}

function hasEquals(token: Token): boolean {
  return token.kind === "string" && token.parts.some((p) => isSequence(p) && p.tokens.some((t) => isPunct(t, "=") || hasEquals(t)));
}

/** Tokens written with hclwrite's spacing (spaceAfterToken); `before`: the token ahead of them on the line. */
function render(tokens: readonly Token[], before: Token | undefined): string {
  let text = "";
  tokens.forEach((token, i) => {
    const subject = i > 0 ? tokens[i - 1] : undefined;
    if (subject && spaceBetween(subject, i > 1 ? tokens[i - 2] : before, token)) text += " ";
    text +=
      token.kind === "string"
        ? `"${token.parts.map((p) => (isSequence(p) ? `${p.open}${render(p.tokens, undefined)}${p.close}` : p.text)).join("")}"`
        : token.text;
  });
  return text;
}

function spaceBetween(subject: Token, before: Token | undefined, after: Token): boolean {
  const text = (t: Token | undefined) => (t && t.kind !== "string" ? t.text : undefined);
  if (subject.kind === "ident" && isPunct(after, "(")) return false;
  if (isPunct(subject, "::") || isPunct(after, "::")) return false;
  if (isPunct(subject, ".") || isPunct(after, ".")) return false;
  if (isPunct(after, ",", "...")) return false;
  if (isPunct(subject, "!")) return false;
  if (isPunct(subject, ",")) return true;
  if (text(subject) === "in" && before?.kind === "ident") return true;
  if (isPunct(after, "[") && (subject.kind === "ident" || subject.kind === "number" || bracketChange(subject) < 0)) return false;
  // A minus after an operator, an opening bracket or nothing negates: no space after it.
  if (isPunct(subject, "-")) return before !== undefined && !(before.kind === "punct" && bracketChange(before) >= 0);
  // Braces, unlike the other brackets, have spaces inside them (`{ a = 1 }`), unless empty (`{}`).
  if (isPunct(subject, "{") || isPunct(after, "}")) return !(isPunct(subject, "{") && isPunct(after, "}"));
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}
