/**
 * The dialog every moderator tool opens in, and the form controls they
 * share: a modal `<dialog>` with a title and a Close button beside it, a
 * body, and a line for the room's refusals (`role="alert"`). Escape closes it, and the
 * focus goes back to where it was. Everything in it is text nodes and form
 * controls; what people wrote (names, reasons, labels) goes in as text.
 */
import type { RoomRefusal } from "../sdk.ts";
import { el } from "./dom.ts";

export interface ToolDialog {
  body: HTMLElement;
  /** Shows why the room refused, or nothing. */
  refused(error: unknown): void;
  clearError(): void;
  close(): void;
}

const ROOM_REFUSAL: RoomRefusal["name"] = "RoomRefusal";

let opened = 0;

/** Opens a modal dialog titled `title`; `build` fills its body. */
export function openToolDialog(title: string, build: (dialog: ToolDialog) => void): void {
  opened += 1;
  const heading = el("h2", "dialog-title", title);
  heading.id = `tool-dialog-${opened}-title`;
  const body = el("div", "tool-body");
  const error = el("p", "form-error");
  error.setAttribute("role", "alert");
  const close = button("Close", "tool-close");
  const dialog = el("dialog", "confirm-dialog tool-dialog", el("div", "tool-top", heading, close), body, error);
  dialog.setAttribute("aria-labelledby", heading.id);
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    dialog.remove();
    previous?.focus();
  });
  build({
    body,
    refused: (reason) => {
      error.textContent = refusalText(reason);
    },
    clearError: () => {
      error.textContent = "";
    },
    close: () => dialog.close(),
  });
  document.body.append(dialog);
  dialog.showModal();
}

/**
 * Why something failed, for a person: a RoomRefusal's message is the
 * room's own words; anything else means the connection is not up. Told by
 * its name, so that this chunk needs nothing of the SDK but its types.
 */
export function refusalText(error: unknown): string {
  if (error instanceof Error && error.name === ROOM_REFUSAL) return error.message;
  return "The room did not answer: check your connection and try again.";
}

/** A button of the given kind; `type="button"` unless it submits a form. */
export function button(text: string, className = "", type: "button" | "submit" = "button"): HTMLButtonElement {
  const made = el("button", className, text);
  made.type = type;
  return made;
}

let fields = 0;

/** A control with its label (and an optional hint), the label naming the control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement, hint = ""): HTMLElement {
  fields += 1;
  control.id = `tool-field-${fields}`;
  const caption = el("label", "", label);
  caption.htmlFor = control.id;
  const wrapper = el(
    "div",
    control instanceof HTMLInputElement && control.type === "checkbox" ? "tool-check" : "tool-field",
  );
  if (control instanceof HTMLInputElement && control.type === "checkbox") wrapper.append(control, caption);
  else wrapper.append(caption, control);
  if (hint !== "") {
    const note = el("p", "hint", hint);
    note.id = `${control.id}-hint`;
    control.setAttribute("aria-describedby", note.id);
    wrapper.append(note);
  }
  return wrapper;
}

/** A select of `options` (value, text), with `value` chosen; one not offered is added, as the room has it. */
export function choice(options: readonly (readonly [string, string])[], value: string): HTMLSelectElement {
  const select = el("select", "");
  const offered = options.some(([each]) => each === value) ? options : [...options, [value, value] as const];
  for (const [each, text] of offered) {
    const option = el("option", "", text);
    option.value = each;
    select.append(option);
  }
  select.value = value;
  return select;
}

/** A one-line text box of at most `maxLength` characters. */
export function textBox(value: string, maxLength: number): HTMLInputElement {
  const input = el("input", "");
  input.value = value;
  input.maxLength = maxLength;
  input.autocomplete = "off";
  return input;
}

/** A checkbox, ticked or not. */
export function checkbox(checked: boolean): HTMLInputElement {
  const input = el("input", "");
  input.type = "checkbox";
  input.checked = checked;
  return input;
}

/** A form whose submit runs `submit` (Enter in a field submits, as in any form); its button says `action`. */
export function toolForm(action: string, submit: () => void, ...children: Node[]): HTMLFormElement {
  const form = el(
    "form",
    "tool-form",
    ...children,
    el("div", "dialog-actions", button(action, "send-button", "submit")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  return form;
}
