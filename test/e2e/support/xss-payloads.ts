/**
 * Hostile message texts for the formatting XSS test, made by combining
 * schemes, markup and the places formatting can put them. Each one that ever
 * ran as script would set `window.__pwned`.
 */
import { FRAME_LIMITS } from "../../../protocol/frames.ts";
import { codePointLength } from "../../../protocol/parse-client.ts";

const RUN = "window.__pwned=1";

/** Ways to write a scheme that is not http(s): mixed case, hidden characters, entities, bidi controls, look-alikes. */
const SCHEMES = [
  "javascript:",
  "JaVaScRiPt:",
  "java\tscript:",
  "java\nscript:",
  "java\u0000script:",
  " javascript:",
  "\u0001javascript:",
  "&#106;avascript:",
  "&#x6A;avascript:",
  "javascript&colon;",
  "jav&#x09;ascript:",
  "java\u202Escript:",
  "\u202Ejavascript:",
  "java\u200Bscript:",
  "java\u2066script:",
  "jаvascript:", // Cyrillic а
  "vbscript:",
  "VBScript:",
  "data:text/html,<script>parent.__pwned=1</script>",
  "data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+",
  "DATA:text/html,",
  "//evil.example/",
  "https:evil.example/",
  "https:/\\evil.example/",
];

/** Every syntax an address can be written in. */
const LINK_SYNTAXES: ((address: string) => string)[] = [
  (address) => address,
  (address) => `[x](${address})`,
  (address) => `<${address}>`,
  (address) => `[x](${address} "title")`,
  (address) => `![x](${address})`,
  (address) => `[x]: ${address}`,
];

/** Markup that runs script or loads something if a browser ever parses it. */
const MARKUP = [
  `<img src=x onerror="${RUN}">`,
  `<svg onload=${RUN}>`,
  `<svg><script>${RUN}</script></svg>`,
  `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<script>${RUN}</script>`,
  `<a href="javascript:${RUN}">x</a>`,
  `<details open ontoggle=${RUN}>`,
  `<body onload=${RUN}>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${RUN}>`,
  `<object data="javascript:${RUN}"></object>`,
  `<embed src="javascript:${RUN}">`,
  `<video><source onerror=${RUN}></video>`,
  `<audio src=x onerror=${RUN}>`,
  `<form><button formaction="javascript:${RUN}">x</button></form>`,
  `<input autofocus onfocus=${RUN}>`,
  `<style>@import 'javascript:${RUN}';</style>`,
  `</p></li></ol></div><img src=x onerror=${RUN}>`,
  `</code></pre></blockquote><img src=x onerror=${RUN}>`,
  `</a></strong></em><svg onload=${RUN}>`,
  `<noscript><p title="</noscript><img src=x onerror=${RUN}>">`,
  `<!--<img src=x onerror=${RUN}>-->`,
  `&lt;img src=x onerror=${RUN}&gt;`,
  `＜img src=x onerror=${RUN}＞`, // fullwidth brackets
  `<b onmouseover=${RUN}>hover</b>`,
];

/** The places formatting can put markup: emphasis, code, quotes, lists, labels, bidi controls. */
const PLACES: ((markup: string) => string)[] = [
  (markup) => markup,
  (markup) => `\`${markup}\``,
  (markup) => `\`\`\`\n${markup}\n\`\`\``,
  (markup) => `\`\`\`html\n${markup}\n\`\`\``,
  (markup) => `> ${markup}`,
  (markup) => `- ${markup}`,
  (markup) => `1. ${markup}`,
  (markup) => `**${markup}**`,
  (markup) => `_${markup}_`,
  (markup) => `~~${markup}~~`,
  (markup) => `[${markup}](https://example.com/)`,
  (markup) => `> - **_${markup}_**`,
  (markup) => `\u202E${markup}\u202C`,
];

/** Emphasis and code wrapped around links. */
const WRAPPERS = ["**", "*", "_", "~~", "`", "***", "**_"];

/** Addresses that are http(s) but try to break out of the attribute or the anchor. */
const BREAKOUTS = [
  `[x](https://example.com/" onmouseover="${RUN})`,
  `[x](https://example.com/"><img src=x onerror=${RUN}>)`,
  `[x](https://example.com/'><svg onload=${RUN}>)`,
  `[<img src=x onerror=${RUN}>](https://example.com/)`,
  `[x](https://example.com/\`onerror=${RUN})`,
  `https://example.com/"><svg onload=${RUN}>`,
  `https://example.com/<script>${RUN}</script>`,
  `https://example.com/'onmouseover='${RUN}`,
  `https://ex\u202Eample.com/`,
  `[https://example.com](javascript:${RUN})`,
  `[x](https://example.com)(javascript:${RUN})`,
  `[x](javascript:${RUN})(https://example.com)`,
  `[[x](javascript:${RUN})](https://example.com)`,
  `**[x](https://example.com/)** [y](javascript:${RUN}) _[z](data:text/html,x)_`,
];

/** Every payload, each at most one message long and none twice. */
export function xssPayloads(): string[] {
  const payloads = [
    ...SCHEMES.flatMap((scheme) => LINK_SYNTAXES.map((syntax) => syntax(`${scheme}${RUN}`))),
    ...MARKUP.flatMap((markup) => PLACES.map((place) => place(markup))),
    ...SCHEMES.flatMap((scheme) =>
      WRAPPERS.map((wrapper) => `${wrapper}[x](${scheme}${RUN})${[...wrapper].reverse().join("")}`),
    ),
    ...BREAKOUTS,
  ];
  // The room trims what it stores; payloads are trimmed here too, so that what is posted is what is shown.
  const unique = [...new Set(payloads.map((payload) => payload.trim()))];
  return unique.filter((payload) => codePointLength(payload) <= FRAME_LIMITS.maxTextLength);
}
