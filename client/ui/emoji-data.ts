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
      { emoji: "😀", name: "grinning face", keywords: ["smile", "happy"] },
      { emoji: "😄", name: "grinning face with smiling eyes", keywords: ["smile", "happy", "laugh"] },
      { emoji: "😁", name: "beaming face with smiling eyes", keywords: ["grin", "teeth", "happy"] },
      { emoji: "😆", name: "grinning squinting face", keywords: ["laugh", "happy", "haha"] },
      { emoji: "😅", name: "grinning face with sweat", keywords: ["phew", "relief", "nervous"] },
      { emoji: "🤣", name: "rolling on the floor laughing", keywords: ["rofl", "lol", "laugh"] },
      { emoji: "😂", name: "face with tears of joy", keywords: ["lol", "laugh", "funny"] },
      { emoji: "🙂", name: "slightly smiling face", keywords: ["smile", "fine"] },
      { emoji: "🙃", name: "upside-down face", keywords: ["silly", "sarcasm"] },
      { emoji: "😉", name: "winking face", keywords: ["wink", "joke"] },
      { emoji: "😊", name: "smiling face with smiling eyes", keywords: ["blush", "happy", "pleased"] },
      { emoji: "😇", name: "smiling face with halo", keywords: ["angel", "innocent"] },
      { emoji: "🥰", name: "smiling face with hearts", keywords: ["love", "adore", "crush"] },
      { emoji: "😍", name: "smiling face with heart-eyes", keywords: ["love", "crush"] },
      { emoji: "🤩", name: "star-struck", keywords: ["wow", "amazed", "excited"] },
      { emoji: "😘", name: "face blowing a kiss", keywords: ["kiss", "love"] },
      { emoji: "😋", name: "face savoring food", keywords: ["yum", "tasty", "delicious"] },
      { emoji: "😜", name: "winking face with tongue", keywords: ["silly", "joke", "crazy"] },
      { emoji: "🤪", name: "zany face", keywords: ["crazy", "goofy", "wild"] },
      { emoji: "🤗", name: "hugging face", keywords: ["hug", "thanks"] },
      { emoji: "🤫", name: "shushing face", keywords: ["quiet", "secret", "shh"] },
      { emoji: "🤔", name: "thinking face", keywords: ["think", "hmm", "wonder"] },
      { emoji: "😐", name: "neutral face", keywords: ["meh", "blank"] },
      { emoji: "😏", name: "smirking face", keywords: ["smirk", "smug"] },
      { emoji: "🙄", name: "face with rolling eyes", keywords: ["eyeroll", "whatever"] },
      { emoji: "😬", name: "grimacing face", keywords: ["awkward", "eek", "yikes"] },
      { emoji: "😔", name: "pensive face", keywords: ["sad", "thoughtful"] },
      { emoji: "😴", name: "sleeping face", keywords: ["sleep", "tired", "zzz"] },
      { emoji: "😷", name: "face with medical mask", keywords: ["sick", "ill", "mask"] },
      { emoji: "🤯", name: "exploding head", keywords: ["mind", "blown", "shocked"] },
      { emoji: "🥳", name: "partying face", keywords: ["party", "celebrate", "birthday"] },
      { emoji: "😎", name: "smiling face with sunglasses", keywords: ["cool", "sunglasses"] },
      { emoji: "🤓", name: "nerd face", keywords: ["nerd", "geek"] },
      { emoji: "😕", name: "confused face", keywords: ["confused", "unsure"] },
      { emoji: "😮", name: "face with open mouth", keywords: ["wow", "surprised", "oh"] },
      { emoji: "😳", name: "flushed face", keywords: ["embarrassed", "blush"] },
      { emoji: "🥺", name: "pleading face", keywords: ["please", "puppy", "begging"] },
      { emoji: "😢", name: "crying face", keywords: ["sad", "cry", "tear"] },
      { emoji: "😭", name: "loudly crying face", keywords: ["sob", "cry", "sad"] },
      { emoji: "😱", name: "face screaming in fear", keywords: ["scream", "scared", "shock"] },
      { emoji: "😠", name: "angry face", keywords: ["angry", "mad", "annoyed"] },
      { emoji: "😡", name: "enraged face", keywords: ["rage", "angry", "pouting"] },
      { emoji: "💀", name: "skull", keywords: ["dead", "dying", "lol"] },
      { emoji: "💩", name: "pile of poo", keywords: ["poop", "crap"] },
      { emoji: "🤡", name: "clown face", keywords: ["clown", "silly"] },
      { emoji: "👻", name: "ghost", keywords: ["boo", "halloween"] },
      { emoji: "🤖", name: "robot", keywords: ["bot", "machine"] },
    ],
  },
  {
    name: "Gestures",
    emoji: [
      { emoji: "👍", name: "thumbs up", keywords: ["like", "yes", "ok", "agree", "+1"] },
      { emoji: "👎", name: "thumbs down", keywords: ["dislike", "no", "disagree", "-1"] },
      { emoji: "👌", name: "OK hand", keywords: ["ok", "perfect", "fine"] },
      { emoji: "✌️", name: "victory hand", keywords: ["peace", "victory"] },
      { emoji: "🤞", name: "crossed fingers", keywords: ["luck", "hope", "fingers"] },
      { emoji: "🤙", name: "call me hand", keywords: ["call", "shaka", "hang"] },
      { emoji: "👈", name: "backhand index pointing left", keywords: ["left", "point"] },
      { emoji: "👉", name: "backhand index pointing right", keywords: ["right", "point"] },
      { emoji: "☝️", name: "index pointing up", keywords: ["one", "first", "point"] },
      { emoji: "👋", name: "waving hand", keywords: ["wave", "hello", "hi", "bye"] },
      { emoji: "✋", name: "raised hand", keywords: ["stop", "high", "five"] },
      { emoji: "👏", name: "clapping hands", keywords: ["clap", "applause", "bravo"] },
      { emoji: "🙌", name: "raising hands", keywords: ["hooray", "celebrate", "praise"] },
      { emoji: "🤝", name: "handshake", keywords: ["deal", "agree", "meeting"] },
      { emoji: "🙏", name: "folded hands", keywords: ["please", "thanks", "pray"] },
      { emoji: "✍️", name: "writing hand", keywords: ["write", "note"] },
      { emoji: "💪", name: "flexed biceps", keywords: ["strong", "muscle", "power"] },
      { emoji: "👀", name: "eyes", keywords: ["look", "see", "watching"] },
      { emoji: "🧠", name: "brain", keywords: ["smart", "think", "mind"] },
      { emoji: "🤦", name: "person facepalming", keywords: ["facepalm", "ugh", "disbelief"] },
      { emoji: "🤷", name: "person shrugging", keywords: ["shrug", "dunno", "whatever"] },
      { emoji: "🙋", name: "person raising hand", keywords: ["me", "question", "hi"] },
      { emoji: "💃", name: "woman dancing", keywords: ["dance", "party"] },
      { emoji: "🕺", name: "man dancing", keywords: ["dance", "party", "disco"] },
    ],
  },
  {
    name: "Hearts",
    emoji: [
      { emoji: "❤️", name: "red heart", keywords: ["love", "like", "heart"] },
      { emoji: "🧡", name: "orange heart", keywords: ["love", "heart"] },
      { emoji: "💛", name: "yellow heart", keywords: ["love", "heart"] },
      { emoji: "💚", name: "green heart", keywords: ["love", "heart"] },
      { emoji: "💙", name: "blue heart", keywords: ["love", "heart"] },
      { emoji: "💜", name: "purple heart", keywords: ["love", "heart"] },
      { emoji: "🖤", name: "black heart", keywords: ["love", "heart", "dark"] },
      { emoji: "💔", name: "broken heart", keywords: ["heartbreak", "sad"] },
      { emoji: "❣️", name: "heart exclamation", keywords: ["love", "heart"] },
      { emoji: "💕", name: "two hearts", keywords: ["love", "affection"] },
      { emoji: "💖", name: "sparkling heart", keywords: ["love", "sparkle"] },
      { emoji: "💘", name: "heart with arrow", keywords: ["cupid", "love"] },
      { emoji: "💋", name: "kiss mark", keywords: ["kiss", "lips"] },
    ],
  },
  {
    name: "Animals and nature",
    emoji: [
      { emoji: "🐶", name: "dog face", keywords: ["dog", "puppy", "pet"] },
      { emoji: "🐱", name: "cat face", keywords: ["cat", "kitten", "pet"] },
      { emoji: "🦊", name: "fox", keywords: ["fox", "animal"] },
      { emoji: "🐻", name: "bear", keywords: ["bear", "animal"] },
      { emoji: "🐸", name: "frog", keywords: ["frog", "animal"] },
      { emoji: "🙈", name: "see-no-evil monkey", keywords: ["monkey", "oops", "hide"] },
      { emoji: "🐧", name: "penguin", keywords: ["penguin", "bird"] },
      { emoji: "🦄", name: "unicorn", keywords: ["unicorn", "magic"] },
      { emoji: "🐝", name: "honeybee", keywords: ["bee", "busy"] },
      { emoji: "🐛", name: "bug", keywords: ["bug", "insect", "caterpillar"] },
      { emoji: "🦋", name: "butterfly", keywords: ["butterfly", "insect"] },
      { emoji: "🐳", name: "spouting whale", keywords: ["whale", "sea"] },
      { emoji: "🌸", name: "cherry blossom", keywords: ["flower", "spring"] },
      { emoji: "🌹", name: "rose", keywords: ["flower", "love"] },
      { emoji: "🌻", name: "sunflower", keywords: ["flower", "summer"] },
      { emoji: "🌱", name: "seedling", keywords: ["plant", "grow", "new"] },
      { emoji: "🍀", name: "four leaf clover", keywords: ["luck", "lucky", "clover"] },
      { emoji: "🍁", name: "maple leaf", keywords: ["leaf", "autumn", "fall"] },
    ],
  },
  {
    name: "Food and drink",
    emoji: [
      { emoji: "🍎", name: "red apple", keywords: ["apple", "fruit"] },
      { emoji: "🍉", name: "watermelon", keywords: ["watermelon", "fruit", "summer"] },
      { emoji: "🌶️", name: "hot pepper", keywords: ["spicy", "chili", "hot"] },
      { emoji: "🍕", name: "pizza", keywords: ["pizza", "food"] },
      { emoji: "🍔", name: "hamburger", keywords: ["burger", "food"] },
      { emoji: "🍟", name: "french fries", keywords: ["fries", "chips", "food"] },
      { emoji: "🍣", name: "sushi", keywords: ["sushi", "food"] },
      { emoji: "🍜", name: "steaming bowl", keywords: ["ramen", "noodles", "soup"] },
      { emoji: "🍩", name: "doughnut", keywords: ["donut", "sweet"] },
      { emoji: "🍪", name: "cookie", keywords: ["cookie", "biscuit", "sweet"] },
      { emoji: "🎂", name: "birthday cake", keywords: ["birthday", "cake", "party"] },
      { emoji: "🍫", name: "chocolate bar", keywords: ["chocolate", "sweet"] },
      { emoji: "🍿", name: "popcorn", keywords: ["popcorn", "movie", "drama"] },
      { emoji: "☕", name: "hot beverage", keywords: ["coffee", "tea", "break"] },
      { emoji: "🍺", name: "beer mug", keywords: ["beer", "drink"] },
      { emoji: "🍻", name: "clinking beer mugs", keywords: ["cheers", "beer", "drinks"] },
      { emoji: "🍷", name: "wine glass", keywords: ["wine", "drink"] },
      { emoji: "🥂", name: "clinking glasses", keywords: ["cheers", "toast", "celebrate"] },
    ],
  },
  {
    name: "Activities",
    emoji: [
      { emoji: "🎉", name: "party popper", keywords: ["tada", "celebrate", "congrats", "party"] },
      { emoji: "🎈", name: "balloon", keywords: ["party", "birthday"] },
      { emoji: "🎁", name: "wrapped gift", keywords: ["gift", "present", "birthday"] },
      { emoji: "🏆", name: "trophy", keywords: ["win", "winner", "champion"] },
      { emoji: "🥇", name: "1st place medal", keywords: ["gold", "first", "win"] },
      { emoji: "⚽", name: "soccer ball", keywords: ["football", "soccer", "sport"] },
      { emoji: "🏀", name: "basketball", keywords: ["basketball", "sport"] },
      { emoji: "🎮", name: "video game", keywords: ["game", "gaming", "controller"] },
      { emoji: "🎲", name: "game die", keywords: ["dice", "game", "random"] },
      { emoji: "🎯", name: "direct hit", keywords: ["target", "bullseye", "goal"] },
      { emoji: "🎶", name: "musical notes", keywords: ["music", "song", "sing"] },
      { emoji: "🎸", name: "guitar", keywords: ["guitar", "music", "rock"] },
      { emoji: "🎨", name: "artist palette", keywords: ["art", "paint", "design"] },
      { emoji: "🎬", name: "clapper board", keywords: ["movie", "film", "action"] },
    ],
  },
  {
    name: "Travel and weather",
    emoji: [
      { emoji: "🚀", name: "rocket", keywords: ["launch", "ship", "fast"] },
      { emoji: "✈️", name: "airplane", keywords: ["plane", "flight", "travel"] },
      { emoji: "🚗", name: "automobile", keywords: ["car", "drive"] },
      { emoji: "🚆", name: "train", keywords: ["train", "rail", "commute"] },
      { emoji: "🏠", name: "house", keywords: ["home", "house"] },
      { emoji: "🏖️", name: "beach with umbrella", keywords: ["beach", "holiday", "vacation"] },
      { emoji: "🌍", name: "globe showing Europe-Africa", keywords: ["world", "earth", "globe"] },
      { emoji: "☀️", name: "sun", keywords: ["sunny", "weather", "summer"] },
      { emoji: "🌙", name: "crescent moon", keywords: ["moon", "night"] },
      { emoji: "⭐", name: "star", keywords: ["star", "favourite", "favorite"] },
      { emoji: "🌈", name: "rainbow", keywords: ["rainbow", "weather", "pride"] },
      { emoji: "☁️", name: "cloud", keywords: ["cloud", "weather"] },
      { emoji: "🌧️", name: "cloud with rain", keywords: ["rain", "weather"] },
      { emoji: "❄️", name: "snowflake", keywords: ["snow", "cold", "winter"] },
      { emoji: "⚡", name: "high voltage", keywords: ["lightning", "zap", "fast"] },
      { emoji: "🔥", name: "fire", keywords: ["lit", "hot", "flame"] },
      { emoji: "💧", name: "droplet", keywords: ["water", "drop"] },
      { emoji: "🌊", name: "water wave", keywords: ["wave", "sea", "ocean"] },
    ],
  },
  {
    name: "Objects",
    emoji: [
      { emoji: "💡", name: "light bulb", keywords: ["idea", "tip"] },
      { emoji: "📌", name: "pushpin", keywords: ["pin", "important"] },
      { emoji: "📎", name: "paperclip", keywords: ["attach", "attachment"] },
      { emoji: "📝", name: "memo", keywords: ["note", "write", "todo"] },
      { emoji: "📅", name: "calendar", keywords: ["date", "schedule", "event"] },
      { emoji: "⏰", name: "alarm clock", keywords: ["alarm", "time", "wake"] },
      { emoji: "⌛", name: "hourglass done", keywords: ["wait", "time"] },
      { emoji: "📱", name: "mobile phone", keywords: ["phone", "mobile", "cell"] },
      { emoji: "💻", name: "laptop", keywords: ["computer", "work", "code"] },
      { emoji: "📦", name: "package", keywords: ["box", "ship", "delivery"] },
      { emoji: "📚", name: "books", keywords: ["read", "study", "library"] },
      { emoji: "✏️", name: "pencil", keywords: ["write", "edit"] },
      { emoji: "🔍", name: "magnifying glass tilted left", keywords: ["search", "find", "zoom"] },
      { emoji: "🔑", name: "key", keywords: ["key", "password", "unlock"] },
      { emoji: "🔒", name: "locked", keywords: ["lock", "secure", "private"] },
      { emoji: "🔔", name: "bell", keywords: ["notification", "ring"] },
      { emoji: "📣", name: "megaphone", keywords: ["announcement", "loud"] },
      { emoji: "💰", name: "money bag", keywords: ["money", "cash", "rich"] },
      { emoji: "🛠️", name: "hammer and wrench", keywords: ["tools", "fix", "build"] },
      { emoji: "⚙️", name: "gear", keywords: ["settings", "config", "cog"] },
    ],
  },
  {
    name: "Symbols",
    emoji: [
      { emoji: "✅", name: "check mark button", keywords: ["done", "yes", "ok", "check"] },
      { emoji: "✔️", name: "check mark", keywords: ["done", "yes", "check"] },
      { emoji: "❌", name: "cross mark", keywords: ["no", "wrong", "delete"] },
      { emoji: "❓", name: "red question mark", keywords: ["question", "what"] },
      { emoji: "❗", name: "red exclamation mark", keywords: ["important", "exclamation"] },
      { emoji: "‼️", name: "double exclamation mark", keywords: ["important", "exclamation"] },
      { emoji: "⚠️", name: "warning", keywords: ["warning", "caution", "careful"] },
      { emoji: "🚫", name: "prohibited", keywords: ["forbidden", "no", "not"] },
      { emoji: "💯", name: "hundred points", keywords: ["100", "perfect", "score"] },
      { emoji: "✨", name: "sparkles", keywords: ["shiny", "new", "magic"] },
      { emoji: "💬", name: "speech balloon", keywords: ["comment", "chat", "talk"] },
      { emoji: "💤", name: "zzz", keywords: ["sleep", "tired"] },
      { emoji: "➕", name: "plus", keywords: ["add", "plus"] },
      { emoji: "➡️", name: "right arrow", keywords: ["arrow", "next"] },
      { emoji: "🔄", name: "counterclockwise arrows button", keywords: ["refresh", "repeat", "sync"] },
      { emoji: "♻️", name: "recycling symbol", keywords: ["recycle", "reuse"] },
      { emoji: "🆗", name: "OK button", keywords: ["ok", "okay"] },
      { emoji: "🔴", name: "red circle", keywords: ["red", "live", "record"] },
      { emoji: "🟢", name: "green circle", keywords: ["green", "online", "go"] },
      { emoji: "🏁", name: "chequered flag", keywords: ["finish", "race", "done"] },
      { emoji: "🚩", name: "triangular flag", keywords: ["red", "flag", "warning"] },
      { emoji: "🏳️‍🌈", name: "rainbow flag", keywords: ["pride", "lgbt", "rainbow"] },
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
