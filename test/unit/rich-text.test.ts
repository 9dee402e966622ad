import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Block, type Inline, parseRichText } from "../../client/ui/rich-text.ts";
import { MAX_NESTING, parseInline } from "../../client/ui/rich-text-inline.ts";

const text = (value: string): Inline => ({ kind: "text", text: value });
const code = (value: string): Inline => ({ kind: "code", text: value });
const link = (label: string, href: string): Inline => ({ kind: "link", text: label, href });
const strong = (...children: Inline[]): Inline => ({ kind: "strong", children });
const em = (...children: Inline[]): Inline => ({ kind: "em", children });
const strike = (...children: Inline[]): Inline => ({ kind: "strike", children });
const paragraph = (...content: Inline[]): Block => ({ kind: "paragraph", content });

/** How deep emphasis nests in `content`. */
function emphasisDepth(content: readonly Inline[]): number {
  return Math.max(0, ...content.map((node) => ("children" in node ? 1 + emphasisDepth(node.children) : 0)));
}

/** How deep quotes nest in `blocks`. */
function quoteDepth(blocks: readonly Block[]): number {
  return Math.max(0, ...blocks.map((block) => (block.kind === "quote" ? 1 + quoteDepth(block.blocks) : 0)));
}

/** Every inline run of the blocks, list items and quotes included. */
function inlineRuns(blocks: readonly Block[]): Inline[][] {
  return blocks.flatMap((block) => {
    if (block.kind === "paragraph") return [block.content];
    if (block.kind === "list") return block.items;
    return block.kind === "quote" ? inlineRuns(block.blocks) : [];
  });
}

/** Every node of an inline run, depth first. */
function allNodes(content: readonly Inline[]): Inline[] {
  return content.flatMap((node) => ("children" in node ? [node, ...allNodes(node.children)] : [node]));
}

describe("parseInline: emphasis and code", () => {
  it("leaves plain text as one text run", () => {
    expect(parseInline("just words, and 2 * 3 = 6")).toEqual([text("just words, and 2 * 3 = 6")]);
  });

  it.each([
    ["**bold**", strong(text("bold"))],
    ["*italic*", em(text("italic"))],
    ["_italic_", em(text("italic"))],
    ["~~struck~~", strike(text("struck"))],
    ["`code`", code("code")],
  ])("reads %s", (typed, node) => {
    expect(parseInline(`a ${typed} b`)).toEqual([text("a "), node, text(" b")]);
  });

  it("nests emphasis inside emphasis", () => {
    expect(parseInline("**bold _and italic_ and ~~gone~~**")).toEqual([
      strong(text("bold "), em(text("and italic")), text(" and "), strike(text("gone"))),
    ]);
  });

  it("reads three stars as bold italic", () => {
    expect(parseInline("***both***")).toEqual([strong(em(text("both")))]);
  });

  it.each(["**open", "*open", "_open", "~~open", "`open", "close**", "a ** b ** c", "~single~", "~~~three~~~"])(
    "leaves %s, which does not close, as typed",
    (typed) => {
      expect(parseInline(typed)).toEqual([text(typed)]);
    },
  );

  it("keeps the first pair of crossing markers and leaves the other as text", () => {
    expect(parseInline("*a **b* c**")).toEqual([em(text("a **b")), text(" c**")]);
  });

  it("leaves underscores inside words alone", () => {
    expect(parseInline("snake_case_name and __init__ stay")).toEqual([text("snake_case_name and __init__ stay")]);
  });

  it("shows markers inside code as typed", () => {
    expect(parseInline("`**not bold** _nor this_ [x](https://a.example)`")).toEqual([
      code("**not bold** _nor this_ [x](https://a.example)"),
    ]);
  });

  it("lets a longer run of backticks enclose a backtick", () => {
    expect(parseInline("`` a`b ``")).toEqual([code("a`b")]);
  });

  it("puts code inside emphasis", () => {
    expect(parseInline("*see `x*y`*")).toEqual([em(text("see "), code("x*y"))]);
  });

  it("shows markup as the characters typed", () => {
    expect(parseInline("<b>bold</b> <img src=x onerror=alert(1)>")).toEqual([
      text("<b>bold</b> <img src=x onerror=alert(1)>"),
    ]);
  });

  it(`nests at most ${MAX_NESTING} deep and shows deeper markers as typed`, () => {
    const levels = MAX_NESTING + 3;
    const content = parseInline(`${"**a ".repeat(levels)}x${" b**".repeat(levels)}`);
    expect(emphasisDepth(content)).toBe(MAX_NESTING);
    const texts = allNodes(content).flatMap((node) => (node.kind === "text" ? [node.text] : []));
    expect(texts.join("")).toContain("**a **a **a x b** b** b**");
  });
});

describe("parseInline: links", () => {
  it("links a bare address and leaves the sentence's full stop out", () => {
    expect(parseInline("docs at https://example.com/a?b=1&c=2. next")).toEqual([
      text("docs at "),
      link("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
      text(". next"),
    ]);
  });

  it("keeps brackets opened inside the address and drops the one that closes the sentence's", () => {
    expect(parseInline("also (http://example.org/x_(y)) and [https://example.net/]")).toEqual([
      text("also ("),
      link("http://example.org/x_(y)", "http://example.org/x_(y)"),
      text(") and ["),
      link("https://example.net/", "https://example.net/"),
      text("]"),
    ]);
  });

  it("drops trailing punctuation and emphasis markers after an address", () => {
    expect(parseInline('"https://example.com/path"! **https://example.com**')).toEqual([
      text('"'),
      link("https://example.com/path", "https://example.com/path"),
      text('"! '),
      strong(link("https://example.com", "https://example.com/")),
    ]);
  });

  it("links an address between angle brackets without the brackets", () => {
    expect(parseInline("<https://example.com>")).toEqual([
      text("<"),
      link("https://example.com", "https://example.com/"),
      text(">"),
    ]);
  });

  it("links only an address that starts a word", () => {
    expect(parseInline("xhttps://example.com")).toEqual([text("xhttps://example.com")]);
  });

  it("ends a bare address at an invisible or control character", () => {
    expect(parseInline("https://example.com\u202Egpj.exe")).toEqual([
      link("https://example.com", "https://example.com/"),
      text("\u202Egpj.exe"),
    ]);
  });

  it("links a label to an http(s) address, the label as plain text", () => {
    expect(parseInline("read [the **docs**](https://example.com/a_(b)) now")).toEqual([
      text("read "),
      link("the **docs**", "https://example.com/a_(b)"),
      text(" now"),
    ]);
  });

  it("links inside emphasis", () => {
    expect(parseInline("_see [here](https://example.com)_")).toEqual([
      em(text("see "), link("here", "https://example.com/")),
    ]);
  });

  it.each([
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](//evil.example)",
    "[x](/relative/path)",
    "[x](https:evil.example)",
    "[x](https:///)",
    "[x](\u0001https://evil.example)",
    "[x](https://evil\u202E.example)",
    "[x](https://exa mple.com)",
    "[](https://example.com)",
    "[*x*](javascript:alert(1))",
  ])("leaves %s as typed, nothing of it formatted", (typed) => {
    expect(parseInline(typed)).toEqual([text(typed)]);
  });

  it.each(["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "ftp://example.com"])(
    "never links the bare address %s",
    (typed) => {
      expect(parseInline(typed)).toEqual([text(typed)]);
    },
  );
});

describe("parseInline: mentions", () => {
  const mentions = [
    { id: "u1", name: "ann" },
    { id: "u2", name: "ann lee" },
  ];

  it("marks the longest listed name after an @ at a word start", () => {
    expect(parseRichText("hi @ann lee and @ann!", mentions)).toEqual([
      paragraph(
        text("hi "),
        { kind: "mention", text: "@ann lee", id: "u2" },
        text(" and "),
        { kind: "mention", text: "@ann", id: "u1" },
        text("!"),
      ),
    ]);
  });

  it.each(["bob@ann", "@anna", "`@ann`", "@Ann"])("does not mark %s", (typed) => {
    const nodes = allNodes(inlineRuns(parseRichText(typed, mentions)).flat());
    expect(nodes.some((node) => node.kind === "mention")).toBe(false);
  });
});

describe("parseRichText: blocks", () => {
  it("keeps a paragraph's line breaks", () => {
    expect(parseRichText("one\ntwo\n\nthree")).toEqual([paragraph(text("one\ntwo\n\nthree"))]);
  });

  it("keeps a fenced block verbatim, with its language", () => {
    expect(parseRichText("before\n```js\nconst b = `<b>`; // **x**\n\n  indented\n```\nafter")).toEqual([
      paragraph(text("before")),
      { kind: "code", language: "js", text: "const b = `<b>`; // **x**\n\n  indented" },
      paragraph(text("after")),
    ]);
  });

  it("leaves a fence that never closes as text", () => {
    expect(parseRichText("```js\nnot code")).toEqual([paragraph(text("```js\nnot code"))]);
  });

  it("reads quote lines, with blocks inside", () => {
    expect(parseRichText("> said **this**\n> - and that\nreply")).toEqual([
      { kind: "quote", blocks: [paragraph(text("said "), strong(text("this"))), list(false, 1, "and that")] },
      paragraph(text("reply")),
    ]);
  });

  it(`nests quotes at most ${MAX_NESTING} deep`, () => {
    const blocks = parseRichText(`${"> ".repeat(MAX_NESTING + 2)}deep`);
    expect(quoteDepth(blocks)).toBe(MAX_NESTING);
    expect(JSON.stringify(blocks)).toContain('"> > deep"');
  });

  it("reads bulleted lists of - and * items", () => {
    expect(parseRichText("Shopping:\n- milk\n* _fresh_ eggs\nthanks")).toEqual([
      paragraph(text("Shopping:")),
      { kind: "list", ordered: false, start: 1, items: [[text("milk")], [em(text("fresh")), text(" eggs")]] },
      paragraph(text("thanks")),
    ]);
  });

  it("reads numbered lists from their first number", () => {
    expect(parseRichText("3. three\n4. four")).toEqual([list(true, 3, "three", "four")]);
  });

  it("drops blank lines between blocks", () => {
    expect(parseRichText("- a\n\n\n1. b\n\ntext")).toEqual([
      list(false, 1, "a"),
      list(true, 1, "b"),
      paragraph(text("text")),
    ]);
  });

  it.each(["-not a list", "**bold** line", ">not a quote", "1.not a list", "- "])(
    "reads %s as a paragraph",
    (typed) => {
      expect(parseRichText(typed)[0]?.kind).toBe("paragraph");
    },
  );

  function list(ordered: boolean, start: number, ...items: string[]): Block {
    return { kind: "list", ordered, start, items: items.map((item) => [text(item)]) };
  }
});

describe("parseRichText: hostile input", () => {
  // Each must simply finish: a parser that backtracks would take minutes on these, far past the test's timeout.
  it.each([
    ["4000 *", "*".repeat(4000)],
    ["4000 [", "[".repeat(4000)],
    ["4000 _", "_ ".repeat(2000)],
    ["*a repeated", "*a".repeat(2000)],
    ["**a repeated", "**a ".repeat(1000)],
    ["unclosed labels", "[a](b".repeat(800)],
    ["unclosed labelled links", "[a](https://x.example/".repeat(180)],
    ["unclosed bare addresses", "http://[".repeat(500)],
    ["backtick runs of every length", Array.from({ length: 85 }, (_, index) => "`".repeat(index + 1)).join("a")],
    ["unclosed fences", "```a\n".repeat(800)],
    ["nested quotes", "> ".repeat(2000)],
    ["a long list", "- x\n".repeat(1000)],
    ["mentions", "@ann".repeat(1000)],
  ])("parses %s", (_, typed) => {
    expect(typed.length).toBeLessThanOrEqual(4000);
    const blocks = parseRichText(typed, [{ id: "u1", name: "ann" }]);
    expect(blocks.length).toBeGreaterThan(0);
  });

  const pieces = [
    "*",
    "**",
    "_",
    "~~",
    "`",
    "```\n",
    "[",
    "]",
    "(",
    ")",
    "](",
    "https://a.example",
    "javascript:",
    "//",
    "x",
    " ",
    "\n",
    "> ",
    "- ",
    "1. ",
    "@ann",
    "<b>",
    "\u202E",
  ];
  const hostile = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) => parts.join(""));

  it("links only http(s) addresses with a host, and nests within bounds, whatever is typed", () => {
    fc.assert(
      fc.property(hostile, (typed) => {
        const blocks = parseRichText(typed, [{ id: "u1", name: "ann" }]);
        expect(quoteDepth(blocks)).toBeLessThanOrEqual(MAX_NESTING);
        for (const run of inlineRuns(blocks)) {
          expect(emphasisDepth(run)).toBeLessThanOrEqual(MAX_NESTING);
          for (const node of allNodes(run)) {
            if (node.kind === "link") expect(new URL(node.href).protocol).toMatch(/^https?:$/u);
            if ("children" in node) expect(node.children).not.toEqual([]);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
