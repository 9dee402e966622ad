import { describe, expect, it } from "vitest";
import { DEFAULT_NOTIFY_SETTING, NOTIFY_SETTINGS, parseNotifySetting } from "../../client/browser/notify-store.ts";
import { shouldNotify } from "../../client/ui/notify-setting.ts";

const OTHERS = { own: false, mentionsMe: false };
const MENTIONING_ME = { own: false, mentionsMe: true };

describe("shouldNotify", () => {
  it("notifies of every message from others under all", () => {
    expect(shouldNotify("all", OTHERS)).toBe(true);
    expect(shouldNotify("all", MENTIONING_ME)).toBe(true);
  });

  it("notifies only of mentions under mentions", () => {
    expect(shouldNotify("mentions", OTHERS)).toBe(false);
    expect(shouldNotify("mentions", MENTIONING_ME)).toBe(true);
  });

  it("notifies of nothing under none, mentions included", () => {
    expect(shouldNotify("none", OTHERS)).toBe(false);
    expect(shouldNotify("none", MENTIONING_ME)).toBe(false);
  });

  it.each(NOTIFY_SETTINGS)("never notifies of the reader's own messages under %s", (setting) => {
    expect(shouldNotify(setting, { own: true, mentionsMe: false })).toBe(false);
    expect(shouldNotify(setting, { own: true, mentionsMe: true })).toBe(false);
  });
});

describe("the notify setting", () => {
  it("is mentions only unless changed", () => {
    expect(DEFAULT_NOTIFY_SETTING).toBe("mentions");
  });

  it.each(NOTIFY_SETTINGS)("reads back %s as stored", (setting) => {
    expect(parseNotifySetting(setting)).toBe(setting);
  });

  it.each([
    ["nothing stored", null],
    ["an empty string", ""],
    ["another word", "some"],
    ["another case", "ALL"],
  ])("reads %s as no setting", (_, stored) => {
    expect(parseNotifySetting(stored)).toBeNull();
  });
});
