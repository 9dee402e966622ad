/**
 * The emoji the picker offers and how they are searched. A curated set of
 * common ones, all from Emoji 13.0 or earlier so that phones a few years old
 * draw them, and each a fully-qualified RGI sequence (a text-default
 * character such as ❤ carries its U+FE0F), so that every platform shows it
 * as an emoji rather than as a black-and-white symbol. They are the system's
 * glyphs: the page ships no images. Names are the CLDR short names, which is
 * what screen readers say for the glyph too.
 */

export interface EmojiEntry {
  readonly emoji: string;
  /** The CLDR short name: the button's label and the first thing searched. */
  readonly name: string;
  /** Lower-case words people search by, beyond those of the name. */
  readonly keywords: readonly string[];
}

export interface EmojiGroup {
  readonly name: string;
  readonly emoji: readonly EmojiEntry[];
}

export const EMOJI_GROUPS: readonly EmojiGroup[] = [
  {
    name: "Smileys",
    emoji: [
      { emoji: "😀", name: "grinning face", keywords: ["smile"] },
      { emoji: "😄", name: "grinning face with smiling eyes", keywords: ["smile"] },
      { emoji: "😁", name: "beaming face with smiling eyes", keywords: ["grin"] },
      { emoji: "😆", name: "grinning squinting face", keywords: ["laugh"] },
      { emoji: "😅", name: "grinning face with sweat", keywords: ["phew"] },
      { emoji: "🤣", name: "rolling on the floor laughing", keywords: ["rofl"] },
      { emoji: "😂", name: "face with tears of joy", keywords: ["lol"] },
      { emoji: "🙂", name: "slightly smiling face", keywords: ["smile"] },
      { emoji: "🙃", name: "upside-down face", keywords: ["silly"] },
      { emoji: "😉", name: "winking face", keywords: ["joke"] },
      { emoji: "😊", name: "smiling face with smiling eyes", keywords: ["blush"] },
      { emoji: "😇", name: "smiling face with halo", keywords: ["angel"] },
      { emoji: "🥰", name: "smiling face with hearts", keywords: ["love"] },
      { emoji: "😍", name: "smiling face with heart-eyes", keywords: ["love"] },
      { emoji: "🤩", name: "star-struck", keywords: ["wow"] },
      { emoji: "😘", name: "face blowing a kiss", keywords: ["love"] },
      { emoji: "😋", name: "face savoring food", keywords: ["yum"] },
      { emoji: "😜", name: "winking face with tongue", keywords: ["silly"] },
      { emoji: "🤪", name: "zany face", keywords: ["crazy"] },
      { emoji: "🤗", name: "hugging face", keywords: ["thanks"] },
      { emoji: "🤫", name: "shushing face", keywords: ["quiet"] },
      { emoji: "🤔", name: "thinking face", keywords: ["hmm"] },
      { emoji: "😐", name: "neutral face", keywords: ["meh"] },
      { emoji: "😏", name: "smirking face", keywords: ["smug"] },
      { emoji: "🙄", name: "face with rolling eyes", keywords: ["eyeroll"] },
      { emoji: "😬", name: "grimacing face", keywords: ["awkward"] },
      { emoji: "😔", name: "pensive face", keywords: ["sad"] },
      { emoji: "😴", name: "sleeping face", keywords: ["tired"] },
      { emoji: "😷", name: "face with medical mask", keywords: ["sick"] },
      { emoji: "🤯", name: "exploding head", keywords: ["mind"] },
      { emoji: "🥳", name: "partying face", keywords: ["celebrate"] },
      { emoji: "😎", name: "smiling face with sunglasses", keywords: ["cool"] },
      { emoji: "🤓", name: "nerd face", keywords: ["geek"] },
      { emoji: "😕", name: "confused face", keywords: ["unsure"] },
      { emoji: "😮", name: "face with open mouth", keywords: ["wow"] },
      { emoji: "😳", name: "flushed face", keywords: ["embarrassed"] },
      { emoji: "🥺", name: "pleading face", keywords: ["please"] },
      { emoji: "😢", name: "crying face", keywords: ["sad"] },
      { emoji: "😭", name: "loudly crying face", keywords: ["sob"] },
      { emoji: "😱", name: "face screaming in fear", keywords: ["scared"] },
      { emoji: "😠", name: "angry face", keywords: ["mad"] },
      { emoji: "😡", name: "enraged face", keywords: ["rage"] },
      { emoji: "💀", name: "skull", keywords: ["dead"] },
      { emoji: "💩", name: "pile of poo", keywords: ["poop"] },
      { emoji: "🤡", name: "clown face", keywords: ["silly"] },
      { emoji: "👻", name: "ghost", keywords: ["boo"] },
      { emoji: "🤖", name: "robot", keywords: ["bot"] },
    ],
  },
  {
    name: "Gestures",
    emoji: [
      { emoji: "👍", name: "thumbs up", keywords: ["like", "ok"] },
      { emoji: "👎", name: "thumbs down", keywords: ["dislike"] },
      { emoji: "👌", name: "OK hand", keywords: ["perfect"] },
      { emoji: "✌️", name: "victory hand", keywords: ["peace"] },
      { emoji: "🤞", name: "crossed fingers", keywords: ["luck"] },
      { emoji: "🤙", name: "call me hand", keywords: ["shaka"] },
      { emoji: "👈", name: "backhand index pointing left", keywords: ["left"] },
      { emoji: "👉", name: "backhand index pointing right", keywords: ["right"] },
      { emoji: "☝️", name: "index pointing up", keywords: ["one"] },
      { emoji: "👋", name: "waving hand", keywords: ["wave"] },
      { emoji: "✋", name: "raised hand", keywords: ["stop"] },
      { emoji: "👏", name: "clapping hands", keywords: ["applause"] },
      { emoji: "🙌", name: "raising hands", keywords: ["hooray"] },
      { emoji: "🤝", name: "handshake", keywords: ["deal"] },
      { emoji: "🙏", name: "folded hands", keywords: ["please"] },
      { emoji: "✍️", name: "writing hand", keywords: ["write"] },
      { emoji: "💪", name: "flexed biceps", keywords: ["strong"] },
      { emoji: "👀", name: "eyes", keywords: ["look"] },
      { emoji: "🧠", name: "brain", keywords: ["smart"] },
      { emoji: "🤦", name: "person facepalming", keywords: ["ugh"] },
      { emoji: "🤷", name: "person shrugging", keywords: ["dunno"] },
      { emoji: "🙋", name: "person raising hand", keywords: ["me"] },
      { emoji: "💃", name: "woman dancing", keywords: ["dance"] },
      { emoji: "🕺", name: "man dancing", keywords: ["dance"] },
    ],
  },
  {
    name: "Hearts",
    emoji: [
      { emoji: "❤️", name: "red heart", keywords: ["love"] },
      { emoji: "🧡", name: "orange heart", keywords: ["love"] },
      { emoji: "💛", name: "yellow heart", keywords: ["love"] },
      { emoji: "💚", name: "green heart", keywords: ["love"] },
      { emoji: "💙", name: "blue heart", keywords: ["love"] },
      { emoji: "💜", name: "purple heart", keywords: ["love"] },
      { emoji: "🖤", name: "black heart", keywords: ["love"] },
      { emoji: "💔", name: "broken heart", keywords: ["heartbreak"] },
      { emoji: "❣️", name: "heart exclamation", keywords: ["love"] },
      { emoji: "💕", name: "two hearts", keywords: ["love"] },
      { emoji: "💖", name: "sparkling heart", keywords: ["love"] },
      { emoji: "💘", name: "heart with arrow", keywords: ["cupid"] },
      { emoji: "💋", name: "kiss mark", keywords: ["lips"] },
    ],
  },
  {
    name: "Animals and nature",
    emoji: [
      { emoji: "🐶", name: "dog face", keywords: ["puppy"] },
      { emoji: "🐱", name: "cat face", keywords: ["kitten"] },
      { emoji: "🦊", name: "fox", keywords: ["animal"] },
      { emoji: "🐻", name: "bear", keywords: ["animal"] },
      { emoji: "🐸", name: "frog", keywords: ["animal"] },
      { emoji: "🙈", name: "see-no-evil monkey", keywords: ["oops"] },
      { emoji: "🐧", name: "penguin", keywords: ["bird"] },
      { emoji: "🦄", name: "unicorn", keywords: ["magic"] },
      { emoji: "🐝", name: "honeybee", keywords: ["bee"] },
      { emoji: "🐛", name: "bug", keywords: ["insect"] },
      { emoji: "🦋", name: "butterfly", keywords: ["insect"] },
      { emoji: "🐳", name: "spouting whale", keywords: ["sea"] },
      { emoji: "🌸", name: "cherry blossom", keywords: ["flower"] },
      { emoji: "🌹", name: "rose", keywords: ["flower"] },
      { emoji: "🌻", name: "sunflower", keywords: ["flower"] },
      { emoji: "🌱", name: "seedling", keywords: ["plant"] },
      { emoji: "🍀", name: "four leaf clover", keywords: ["luck"] },
      { emoji: "🍁", name: "maple leaf", keywords: ["autumn"] },
    ],
  },
  {
    name: "Food and drink",
    emoji: [
      { emoji: "🍎", name: "red apple", keywords: ["fruit"] },
      { emoji: "🍉", name: "watermelon", keywords: ["fruit"] },
      { emoji: "🌶️", name: "hot pepper", keywords: ["spicy"] },
      { emoji: "🍕", name: "pizza", keywords: ["food"] },
      { emoji: "🍔", name: "hamburger", keywords: ["burger"] },
      { emoji: "🍟", name: "french fries", keywords: ["chips"] },
      { emoji: "🍣", name: "sushi", keywords: ["food"] },
      { emoji: "🍜", name: "steaming bowl", keywords: ["ramen"] },
      { emoji: "🍩", name: "doughnut", keywords: ["donut"] },
      { emoji: "🍪", name: "cookie", keywords: ["biscuit"] },
      { emoji: "🎂", name: "birthday cake", keywords: ["party"] },
      { emoji: "🍫", name: "chocolate bar", keywords: ["sweet"] },
      { emoji: "🍿", name: "popcorn", keywords: ["movie"] },
      { emoji: "☕", name: "hot beverage", keywords: ["coffee"] },
      { emoji: "🍺", name: "beer mug", keywords: ["drink"] },
      { emoji: "🍻", name: "clinking beer mugs", keywords: ["cheers"] },
      { emoji: "🍷", name: "wine glass", keywords: ["drink"] },
      { emoji: "🥂", name: "clinking glasses", keywords: ["cheers"] },
    ],
  },
  {
    name: "Activities",
    emoji: [
      { emoji: "🎉", name: "party popper", keywords: ["tada"] },
      { emoji: "🎈", name: "balloon", keywords: ["party"] },
      { emoji: "🎁", name: "wrapped gift", keywords: ["present"] },
      { emoji: "🏆", name: "trophy", keywords: ["win"] },
      { emoji: "🥇", name: "1st place medal", keywords: ["gold"] },
      { emoji: "⚽", name: "soccer ball", keywords: ["football"] },
      { emoji: "🏀", name: "basketball", keywords: ["sport"] },
      { emoji: "🎮", name: "video game", keywords: ["gaming"] },
      { emoji: "🎲", name: "game die", keywords: ["dice"] },
      { emoji: "🎯", name: "direct hit", keywords: ["target"] },
      { emoji: "🎶", name: "musical notes", keywords: ["song"] },
      { emoji: "🎸", name: "guitar", keywords: ["music"] },
      { emoji: "🎨", name: "artist palette", keywords: ["paint"] },
      { emoji: "🎬", name: "clapper board", keywords: ["movie"] },
    ],
  },
  {
    name: "Travel and weather",
    emoji: [
      { emoji: "🚀", name: "rocket", keywords: ["launch"] },
      { emoji: "✈️", name: "airplane", keywords: ["plane"] },
      { emoji: "🚗", name: "automobile", keywords: ["car"] },
      { emoji: "🚆", name: "train", keywords: ["rail"] },
      { emoji: "🏠", name: "house", keywords: ["home"] },
      { emoji: "🏖️", name: "beach with umbrella", keywords: ["holiday"] },
      { emoji: "🌍", name: "globe showing Europe-Africa", keywords: ["world"] },
      { emoji: "☀️", name: "sun", keywords: ["sunny"] },
      { emoji: "🌙", name: "crescent moon", keywords: ["night"] },
      { emoji: "⭐", name: "star", keywords: ["favourite"] },
      { emoji: "🌈", name: "rainbow", keywords: ["weather"] },
      { emoji: "☁️", name: "cloud", keywords: ["weather"] },
      { emoji: "🌧️", name: "cloud with rain", keywords: ["weather"] },
      { emoji: "❄️", name: "snowflake", keywords: ["cold"] },
      { emoji: "⚡", name: "high voltage", keywords: ["lightning"] },
      { emoji: "🔥", name: "fire", keywords: ["lit"] },
      { emoji: "💧", name: "droplet", keywords: ["water"] },
      { emoji: "🌊", name: "water wave", keywords: ["sea"] },
    ],
  },
  {
    name: "Objects",
    emoji: [
      { emoji: "💡", name: "light bulb", keywords: ["idea"] },
      { emoji: "📌", name: "pushpin", keywords: ["pin"] },
      { emoji: "📎", name: "paperclip", keywords: ["attach"] },
      { emoji: "📝", name: "memo", keywords: ["note"] },
      { emoji: "📅", name: "calendar", keywords: ["date"] },
      { emoji: "⏰", name: "alarm clock", keywords: ["time"] },
      { emoji: "⌛", name: "hourglass done", keywords: ["wait"] },
      { emoji: "📱", name: "mobile phone", keywords: ["cell"] },
      { emoji: "💻", name: "laptop", keywords: ["computer"] },
      { emoji: "📦", name: "package", keywords: ["box"] },
      { emoji: "📚", name: "books", keywords: ["read"] },
      { emoji: "✏️", name: "pencil", keywords: ["write"] },
      { emoji: "🔍", name: "magnifying glass tilted left", keywords: ["search"] },
      { emoji: "🔑", name: "key", keywords: ["password"] },
      { emoji: "🔒", name: "locked", keywords: ["secure"] },
      { emoji: "🔔", name: "bell", keywords: ["notification"] },
      { emoji: "📣", name: "megaphone", keywords: ["announcement"] },
      { emoji: "💰", name: "money bag", keywords: ["cash"] },
      { emoji: "🛠️", name: "hammer and wrench", keywords: ["tools"] },
      { emoji: "⚙️", name: "gear", keywords: ["settings"] },
    ],
  },
  {
    name: "Symbols",
    emoji: [
      { emoji: "✅", name: "check mark button", keywords: ["done"] },
      { emoji: "✔️", name: "check mark", keywords: ["done"] },
      { emoji: "❌", name: "cross mark", keywords: ["no"] },
      { emoji: "❓", name: "red question mark", keywords: ["what"] },
      { emoji: "❗", name: "red exclamation mark", keywords: ["important"] },
      { emoji: "‼️", name: "double exclamation mark", keywords: ["important"] },
      { emoji: "⚠️", name: "warning", keywords: ["caution"] },
      { emoji: "🚫", name: "prohibited", keywords: ["forbidden"] },
      { emoji: "💯", name: "hundred points", keywords: ["100"] },
      { emoji: "✨", name: "sparkles", keywords: ["shiny"] },
      { emoji: "💬", name: "speech balloon", keywords: ["comment"] },
      { emoji: "💤", name: "zzz", keywords: ["sleep"] },
      { emoji: "➕", name: "plus", keywords: ["add"] },
      { emoji: "➡️", name: "right arrow", keywords: ["next"] },
      { emoji: "🔄", name: "counterclockwise arrows button", keywords: ["refresh"] },
      { emoji: "♻️", name: "recycling symbol", keywords: ["recycle"] },
      { emoji: "🆗", name: "OK button", keywords: ["okay"] },
      { emoji: "🔴", name: "red circle", keywords: ["live"] },
      { emoji: "🟢", name: "green circle", keywords: ["online"] },
      { emoji: "🏁", name: "chequered flag", keywords: ["finish"] },
      { emoji: "🚩", name: "triangular flag", keywords: ["red"] },
      { emoji: "🏳️‍🌈", name: "rainbow flag", keywords: ["pride"] },
    ],
  },
];

/** Every emoji of the picker, in the order it shows them. */
export const EMOJI: readonly EmojiEntry[] = EMOJI_GROUPS.flatMap((group) => group.emoji);

/** The row offered first, and the set a message's reactions start from. */
export const QUICK_REACTIONS: readonly EmojiEntry[] = ["👍", "❤️", "😂", "🎉", "😮", "😢"].map(entryOf);

/** How many matches a search returns unless told: six rows of the picker's grid. */
export const SEARCH_LIMIT = 48;

/** A search's match, best first: the glyph itself, the name's start, the start of a word, anywhere. */
const RANK = { glyph: 0, nameStart: 1, wordStart: 2, inside: 3 } as const;

interface Searchable {
  readonly entry: EmojiEntry;
  readonly name: string;
  /** The name's words and the keywords, lower-case. */
  readonly words: readonly string[];
}

const SEARCHABLE: readonly Searchable[] = EMOJI.map((entry) => {
  const name = entry.name.toLowerCase();
  return { entry, name, words: [...name.split(/[\s-]+/), ...entry.keywords] };
});

/**
 * The emoji matching a query, best first: case-insensitive, every word of
 * the query matching a word of the name or a keyword. Those whose name or
 * words start with the query come before those that merely contain it; ties
 * keep the picker's order. A blank query matches nothing.
 */
export function searchEmoji(query: string, limit = SEARCH_LIMIT): EmojiEntry[] {
  const trimmed = query.trim();
  const wanted = trimmed.toLowerCase();
  const terms = wanted.split(/\s+/).filter((term) => term !== "");
  if (terms.length === 0) return [];
  const ranked: { entry: EmojiEntry; rank: number }[] = [];
  for (const searchable of SEARCHABLE) {
    const rank = rankOf(searchable, trimmed, wanted, terms);
    if (rank !== null) ranked.push({ entry: searchable.entry, rank });
  }
  // Array.prototype.sort is stable, so equal ranks keep the picker's order.
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, Math.max(0, limit))
    .map(({ entry }) => entry);
}

function rankOf(
  { entry, name, words }: Searchable,
  query: string,
  wanted: string,
  terms: readonly string[],
): number | null {
  if (entry.emoji === query) return RANK.glyph;
  if (name.startsWith(wanted)) return RANK.nameStart;
  if (terms.every((term) => words.some((word) => word.startsWith(term)))) return RANK.wordStart;
  if (terms.every((term) => words.some((word) => word.includes(term)))) return RANK.inside;
  return null;
}

function entryOf(emoji: string): EmojiEntry {
  const entry = EMOJI.find((candidate) => candidate.emoji === emoji);
  if (entry === undefined) throw new Error(`${emoji} is not among the picker's emoji`);
  return entry;
}
