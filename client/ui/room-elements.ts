import { byId } from "./dom.ts";

/** Every element of room.html that the client drives, found once; a missing one fails loudly at load. */
export function roomElements() {
  return {
    roomName: byId("room-name", HTMLElement),
    topic: byId("room-topic", HTMLElement),
    manage: byId("manage", HTMLButtonElement),
    notice: byId("room-notice", HTMLElement),
    status: {
      status: byId("connection", HTMLElement),
      text: byId("connection-text", HTMLElement),
      reconnect: byId("reconnect", HTMLButtonElement),
    },
    copyLink: byId("copy-link", HTMLButtonElement),
    copyLinkLabel: byId("copy-link-label", HTMLElement),
    notify: byId("notify", HTMLButtonElement),
    notifyLabel: byId("notify-label", HTMLElement),
    presence: {
      toggle: byId("people-toggle", HTMLButtonElement),
      toggleCount: byId("people-count", HTMLElement),
      panel: byId("people", HTMLElement),
      headingCount: byId("people-heading-count", HTMLElement),
      list: byId("people-list", HTMLUListElement),
      partial: byId("people-partial", HTMLElement),
    },
    settings: byId("room-settings", HTMLElement),
    members: {
      section: byId("members", HTMLElement),
      list: byId("members-list", HTMLUListElement),
    },
    search: {
      open: byId("search-open", HTMLButtonElement),
      panel: byId("search", HTMLElement),
      form: byId("search-form", HTMLFormElement),
      input: byId("search-input", HTMLInputElement),
      cancel: byId("search-cancel", HTMLButtonElement),
      status: byId("search-status", HTMLElement),
      results: byId("search-results", HTMLUListElement),
      more: byId("search-more", HTMLButtonElement),
    },
    scroller: byId("scroller", HTMLElement),
    historyEdge: byId("history-edge", HTMLElement),
    messages: byId("messages", HTMLOListElement),
    outbox: byId("outbox", HTMLOListElement),
    jumpToLatest: byId("jump-latest", HTMLButtonElement),
    typing: byId("typing", HTMLElement),
    composer: byId("composer", HTMLFormElement),
    messageInput: byId("message-input", HTMLTextAreaElement),
    send: byId("send", HTMLButtonElement),
    composerNote: byId("composer-note", HTMLElement),
    reply: {
      bar: byId("reply-bar", HTMLElement),
      text: byId("reply-text", HTMLElement),
      cancel: byId("reply-cancel", HTMLButtonElement),
    },
    nickname: {
      composer: byId("composer", HTMLFormElement),
      messageInput: byId("message-input", HTMLTextAreaElement),
      chip: byId("nickname-chip", HTMLButtonElement),
      form: byId("nickname-form", HTMLFormElement),
      label: byId("nickname-label", HTMLLabelElement),
      input: byId("nickname-input", HTMLInputElement),
      cancel: byId("nickname-cancel", HTMLButtonElement),
      error: byId("nickname-error", HTMLElement),
    },
    announcer: byId("announcer", HTMLElement),
  };
}

export type RoomElements = ReturnType<typeof roomElements>;
