/**
 * The two ways the client makes and finds elements. Text always goes in as
 * text nodes: nothing here, or anywhere in the client, parses a string as
 * markup, so what people type can never become an element or a script.
 */

/** A new element with an optional class and children; strings become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = "",
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className !== "") element.className = className;
  element.append(...children);
  return element;
}

/** The page's element with this id, of the expected kind; a missing one is a bug in the page's HTML. */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`the page has no #${id} of the expected kind`);
  return element;
}
