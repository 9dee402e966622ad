/**
 * Message text as nodes, built from the tree of rich-text.ts with DOM calls
 * only: the text goes in as text nodes, links get their address as a
 * property, and no string is ever parsed as markup.
 */
import { CONFIRM_MS, copyToClipboard } from "./copy-link.ts";
import { el } from "./dom.ts";
import { type Block, type Inline, type Mention, parseRichText } from "./rich-text.ts";

/** Who the text may mention, and who is reading, so that their own mentions stand out. */
export interface RichTextOptions {
  mentions?: readonly Mention[];
  selfId?: string;
}

const EMPHASIS_TAG = { strong: "strong", em: "em", strike: "s" } as const;

/** The text, formatted, as a fragment to append. */
export function richText(text: string, options: RichTextOptions = {}): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(...parseRichText(text, options.mentions).map((block) => blockNode(block, options.selfId)));
  return fragment;
}

function blockNode(block: Block, selfId: string | undefined): HTMLElement {
  switch (block.kind) {
    case "paragraph":
      return el("p", "", ...inlineNodes(block.content, selfId));
    case "code":
      return codeBlock(block.text, block.language);
    case "quote":
      return el("blockquote", "", ...block.blocks.map((inner) => blockNode(inner, selfId)));
    case "list": {
      const items = block.items.map((item) => el("li", "", ...inlineNodes(item, selfId)));
      if (!block.ordered) return el("ul", "", ...items);
      const list = el("ol", "", ...items);
      list.start = block.start;
      return list;
    }
    default:
      return block satisfies never;
  }
}

function inlineNodes(content: readonly Inline[], selfId: string | undefined): (Node | string)[] {
  return content.map((node) => {
    switch (node.kind) {
      case "text":
        return node.text;
      case "code":
        return el("code", "", node.text);
      case "link":
        return link(node.text, node.href);
      case "mention":
        return el("span", node.id === selfId ? "mention mention-self" : "mention", node.text);
      case "strong":
      case "em":
      case "strike":
        return el(EMPHASIS_TAG[node.kind], "", ...inlineNodes(node.children, selfId));
      default:
        return node satisfies never;
    }
  });
}

/** A link that opens in a new tab without handing it this page; its title shows where it goes. */
function link(text: string, href: string): HTMLAnchorElement {
  const anchor = el("a", "", text);
  anchor.href = href;
  anchor.title = href;
  anchor.target = "_blank";
  anchor.rel = "noopener noreferrer";
  return anchor;
}

/**
 * A code block with its language, if one was written, and a Copy button.
 * Where the clipboard is out of reach (plain http), the button selects the
 * code instead, to copy by hand.
 */
function codeBlock(text: string, language: string): HTMLDivElement {
  const code = el("code", "", text);
  const label = document.createTextNode("Copy");
  const copy = el("button", "copy-code", label, el("span", "visually-hidden", " code"));
  copy.type = "button";
  let reset: ReturnType<typeof setTimeout> | undefined;
  copy.addEventListener("click", async () => {
    clearTimeout(reset);
    if (await copyToClipboard(text)) {
      label.data = "Copied";
      reset = setTimeout(() => {
        label.data = "Copy";
      }, CONFIRM_MS);
    } else {
      getSelection()?.selectAllChildren(code);
    }
  });
  const head = el("div", "code-head", ...(language === "" ? [] : [el("span", "code-language", language)]), copy);
  return el("div", "code-block", head, el("pre", "", code));
}
