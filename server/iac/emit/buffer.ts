/**
 * An indentation-aware code writer (cdk-from-cfn's `CodeBuffer`): emitters say what to write
 * and how deep, never how many spaces. Used for YAML (two-space steps, with `- ` item prefixes)
 * and for TypeScript (two-space steps, with `{ … }` blocks).
 */
export class CodeBuffer {
  private readonly lines: string[] = [];
  private level = 0;
  /** Pending `- ` prefixes for the next line (YAML sequence items, nested ones stack). */
  private pendingItems = 0;

  private readonly pads: string[] = [""];

  constructor(private readonly unit = "  ") {}

  private pad(depth: number): string {
    while (this.pads.length <= depth) this.pads.push(this.pads[this.pads.length - 1] + this.unit);
    return this.pads[depth];
  }

  /** Writes one line at the current depth; an empty call writes a blank line. */
  line(text = ""): this {
    if (!text && !this.pendingItems) {
      this.lines.push("");
      return this;
    }
    if (this.pendingItems) {
      const depth = Math.max(0, this.level - this.pendingItems);
      this.lines.push(this.pad(depth) + "- ".repeat(this.pendingItems) + text);
      this.pendingItems = 0;
    } else this.lines.push(this.pad(this.level) + text);
    return this;
  }

  /** Writes each line of a multi-line text at the current depth. */
  write(text: string): this {
    for (const l of text.split("\n")) this.line(l);
    return this;
  }

  /** Comment lines at the current depth (or at the item's dash when an item prefix is pending). */
  comment(text: string, marker = "#"): this {
    const depth = Math.max(0, this.level - this.pendingItems);
    for (const l of text.split("\n")) this.lines.push(l === "" ? "" : this.pad(depth) + marker + l);
    return this;
  }

  /** Runs `body` one level deeper. */
  indent(body: () => void): this {
    this.level++;
    try {
      body();
    } finally {
      this.level--;
    }
    return this;
  }

  /** `open` line, `body` indented, `close` line: `{`/`}` blocks in TypeScript. */
  block(open: string, body: () => void, close = "}"): this {
    this.line(open);
    this.indent(body);
    this.line(close);
    return this;
  }

  /**
   * Runs `body` as one YAML sequence item: one level deeper, with `- ` in front of its first line.
   * Items of items stack their dashes (`- - a`).
   */
  item(body: () => void): this {
    this.level++;
    this.pendingItems++;
    try {
      body();
    } finally {
      this.level--;
    }
    return this;
  }

  /** Whether the last line written is a comment (`#`, `//`), so a blank line after it would join it. */
  get afterComment(): boolean {
    const last = this.lines[this.lines.length - 1];
    return last !== undefined && /^\s*(#|\/\/)/.test(last);
  }

  /** Whether nothing has been written yet. */
  get empty(): boolean {
    return this.lines.length === 0;
  }

  /** Appends a line verbatim, without indentation. */
  raw(text: string): this {
    this.lines.push(text);
    return this;
  }

  toString(): string {
    return this.lines.join("\n") + "\n";
  }
}
