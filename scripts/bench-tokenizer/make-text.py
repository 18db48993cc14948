#!/usr/bin/env python3
"""Writes the tokenizer benchmark's input: 1 MB (by default) of mixed text, about half English
prose, a quarter code, a sixth Chinese and Japanese, and the rest emoji and other scripts. Seeded,
so every run of the benchmark reads the same bytes.

    python3 scripts/bench-tokenizer/make-text.py OUT [BYTES]
"""
import random
import sys

WORDS = """the of and to in is that for it as was with be by on not he this are or his from at which but have
an they you were her she there been one all we their has would when if so no will more about can its out
into them only other new some could time these two may first then do any like my now over such our man me
even most made after also did many before must through back years where much your way well down should
because each just those people how too little state good very make world still own see men work long get
here between both life being under never day same another know while last might us great old year off
come since against go came right used take three model token tokenizer server local memory fast quick
brown fox jumps lazy dog language text reference faithful exact byte merge rank queue priority vocabulary
data file read write open close value number string array table system user request response stream
generation sample temperature kernel matrix vector thread cache layer attention head weight bias norm""".split()

PUNCTUATION = [",", ",", ".", ";", ":", "!", "?", " -", "'s", "'t", "'re", "'ll"]

CHINESE = ("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后"
           "小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长"
           "知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最"
           "间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市")
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテト"
EMOJI = ["🦙", "🚀", "😀", "🎉", "👍🏽", "❤️", "🇯🇵", "👨‍👩‍👧‍👦", "🧑‍💻", "✨", "🔥", "🌍", "☕", "📈"]
OTHER = ["café", "naïve", "Привет", "мир", "Γειά", "σου", "مرحبا", "नमस्ते", "안녕하세요", "שלום", "Zürich", "São Paulo"]


def english(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 7)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), str(rng.randint(0, 100000)))
        words[0] = words[0].capitalize()
        sentence = " ".join(w + (rng.choice(PUNCTUATION) if rng.random() < 0.1 else "") for w in words)
        sentences.append(sentence + rng.choice([".", ".", ".", "?", "!"]))
    return " ".join(sentences) + "\n\n"


def code(rng: random.Random) -> str:
    name = "_".join(rng.choice(WORDS) for _ in range(2))
    args = ", ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.5:
        body = "".join(f"    {rng.choice(WORDS)} = {rng.choice(WORDS)}({rng.randint(0, 999)}) + {rng.choice(WORDS)}[{rng.randint(0, 9)}]\n"
                       for _ in range(rng.randint(2, 6)))
        return f"def {name}({args}):\n    \"\"\"{english(rng).strip()[:80]}\"\"\"\n{body}    return {rng.choice(WORDS)}\n\n"
    body = "".join(f"\tif ({rng.choice(WORDS)} > {rng.randint(0, 99)}) {{ {rng.choice(WORDS)} += {rng.randint(1, 9)}; }}\n"
                   for _ in range(rng.randint(2, 6)))
    return f"static int {name}(int {args.replace(', ', ', int ')}) {{\n{body}\treturn 0; // {rng.choice(WORDS)}\n}}\n\n"


def cjk(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 5)):
        n = rng.randint(8, 30)
        pool = CHINESE if rng.random() < 0.7 else CHINESE + KANA * 2
        parts.append("".join(rng.choice(pool) for _ in range(n)) + rng.choice("，。！？、"))
    return "".join(parts) + "\n"


def mixed(rng: random.Random) -> str:
    return " ".join(rng.choice(EMOJI + OTHER + WORDS) for _ in range(rng.randint(5, 15))) + "\n"


def main() -> None:
    out, size = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(1729)
    text = bytearray()
    while len(text) < size:
        kind = rng.random()
        piece = english(rng) if kind < 0.5 else code(rng) if kind < 0.75 else cjk(rng) if kind < 0.9 else mixed(rng)
        text += piece.encode()
    # Cut at a character boundary.
    end = size
    while end > 0 and text[end] & 0xC0 == 0x80:
        end -= 1
    with open(out, "wb") as f:
        f.write(text[:end])


if __name__ == "__main__":
    main()
