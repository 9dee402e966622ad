/**
 * The parts of the room page that load the first time they are needed,
 * each with its stylesheet: the emoji picker and its emoji (most visits
 * never react), and what a room with owners adds (a room without one never
 * needs it). esbuild makes each `import()` a chunk of its own (build.ts).
 * A load that failed, the network down, is tried again the next time.
 */
import { el } from "./dom.ts";

type EmojiPickerModule = typeof import("./emoji-picker.ts");
type OwnedRoomModule = typeof import("./owned-room.ts");
type CallModule = typeof import("./call-bar.ts");
type SearchPanelModule = typeof import("./search-panel.ts");

let emojiPicker: Promise<EmojiPickerModule> | null = null;
let ownedRoom: Promise<OwnedRoomModule> | null = null;
let calls: Promise<CallModule> | null = null;

/** The emoji picker (emoji-picker.ts), styled by emoji-picker.css. */
export function loadEmojiPicker(): Promise<EmojiPickerModule> {
  emojiPicker ??= once(
    Promise.all([import("./emoji-picker.ts"), loadStylesheet("/emoji-picker.css")]).then(([module]) => module),
    () => {
      emojiPicker = null;
    },
  );
  return emojiPicker;
}

/** What an owned room adds to the page (owned-room.ts), styled by owners.css. */
export function loadOwnedRoom(): Promise<OwnedRoomModule> {
  ownedRoom ??= once(
    Promise.all([import("./owned-room.ts"), loadStylesheet("/owners.css")]).then(([module]) => module),
    () => {
      ownedRoom = null;
    },
  );
  return ownedRoom;
}

/**
 * The search panel (search-panel.ts), loaded the first time someone opens
 * it with its button or its shortcut; `start` makes the panel, which then
 * answers both itself. A failed load leaves the button to try again.
 */
export function searchOnDemand(button: HTMLElement, start: (module: SearchPanelModule) => { open(): void }): void {
  const ask = (event: Event) => {
    if (event instanceof KeyboardEvent && !isSearchShortcut(event)) return;
    event.preventDefault();
    button.removeEventListener("click", ask);
    document.removeEventListener("keydown", ask);
    Promise.all([import("./search-panel.ts"), loadStylesheet("/search.css")]).then(
      ([module]) => start(module).open(),
      () => {
        button.addEventListener("click", ask);
        document.addEventListener("keydown", ask);
      },
    );
  };
  button.addEventListener("click", ask);
  document.addEventListener("keydown", ask);
}

/** Ctrl+K or Cmd+K anywhere, or `/` outside a text field: open the search. */
export function isSearchShortcut(event: KeyboardEvent): boolean {
  return (
    ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") ||
    (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextField(event.target))
  );
}

function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit"].includes(target.type)) ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/** A room's call (call-bar.ts: the session, the controls, the tiles), styled by call.css. */
export function loadCalls(): Promise<CallModule> {
  calls ??= once(
    Promise.all([import("./call-bar.ts"), loadStylesheet("/call.css")]).then(([module]) => module),
    () => {
      calls = null;
    },
  );
  return calls;
}

/** `loading`, with `failed` called if it fails, so that the next call tries again. */
function once<T>(loading: Promise<T>, failed: () => void): Promise<T> {
  loading.catch(failed);
  return loading;
}

const stylesheets = new Map<string, Promise<void>>();

/**
 * Links a stylesheet of this site, once; resolves when it has loaded, so
 * that what it styles is never drawn unstyled. A link element is what the
 * Content-Security-Policy allows: no style is written from script.
 */
function loadStylesheet(href: string): Promise<void> {
  let loading = stylesheets.get(href);
  if (loading === undefined) {
    const link = el("link");
    link.rel = "stylesheet";
    link.href = href;
    loading = new Promise((loaded, failed) => {
      link.addEventListener("load", () => loaded());
      link.addEventListener("error", () => {
        stylesheets.delete(href);
        link.remove();
        failed(new Error(`${href} did not load`));
      });
    });
    stylesheets.set(href, loading);
    document.head.append(link);
  }
  return loading;
}
