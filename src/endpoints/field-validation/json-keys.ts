// Every object key of a JSON document in document order, with its field path (`spec.containers[0].name`)
// and whether it repeats a key of the same object. JSON.parse keeps the last duplicate silently;
// strict field validation must name them, in the order upstream's decoder meets them.

export interface KeyEvent {
  path: string;
  duplicate: boolean;
}

class Scanner {
  private i = 0;
  readonly events: KeyEvent[] = [];

  constructor(private readonly text: string) {}

  scan(): KeyEvent[] {
    this.value("");
    return this.events;
  }

  private ws(): void {
    while (this.i < this.text.length && " \t\n\r".includes(this.text[this.i]!)) this.i++;
  }

  private string(): string {
    const start = this.i;
    this.i++; // opening quote
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (c === "\\") this.i += 2;
      else if (c === '"') {
        this.i++;
        return JSON.parse(this.text.slice(start, this.i)) as string;
      } else this.i++;
    }
    throw new SyntaxError("unterminated string");
  }

  private value(path: string): void {
    this.ws();
    const c = this.text[this.i];
    if (c === "{") this.object(path);
    else if (c === "[") this.array(path);
    else if (c === '"') this.string();
    else {
      while (this.i < this.text.length && !",}] \t\n\r".includes(this.text[this.i]!)) this.i++;
    }
  }

  private object(path: string): void {
    this.i++;
    const seen = new Set<string>();
    for (;;) {
      this.ws();
      if (this.text[this.i] === "}") {
        this.i++;
        return;
      }
      const key = this.string();
      const child = path ? `${path}.${key}` : key;
      this.events.push({ path: child, duplicate: seen.has(key) });
      seen.add(key);
      this.ws();
      this.i++; // colon
      this.value(child);
      this.ws();
      if (this.text[this.i] === ",") this.i++;
    }
  }

  private array(path: string): void {
    this.i++;
    for (let index = 0; ; index++) {
      this.ws();
      if (this.text[this.i] === "]") {
        this.i++;
        return;
      }
      this.value(`${path}[${index}]`);
      this.ws();
      if (this.text[this.i] === ",") this.i++;
    }
  }
}

/** Key events of a syntactically valid JSON text (parse it with JSON.parse first). */
export function scanJsonKeys(text: string): KeyEvent[] {
  return new Scanner(text).scan();
}
