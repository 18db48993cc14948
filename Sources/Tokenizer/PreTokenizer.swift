/// How byte-level BPE cuts text into words before merging, chosen by `tokenizer.ggml.pre`.
///
/// Each family is a list of split rules applied in turn, every rule cutting the pieces the previous
/// one produced, exactly as llama.cpp applies its list of regexes. The names and the flags that come
/// with them (space cleaning on decode, whole-word lookup, BOS default) follow llama.cpp's loader.
public struct PreTokenizer: Sendable, Equatable {
    /// The `tokenizer.ggml.pre` value this was chosen by ("default" when the file has none).
    public let name: String
    let rules: [SplitRule]
    /// Decoding removes the space before `?!.,` and some apostrophes (llama.cpp's `clean_spaces`).
    let cleansSpaces: Bool
    /// A word that is itself a token becomes that token without merging (llama.cpp's `ignore_merges`).
    let ignoresMerges: Bool
    /// BOS is added unless `tokenizer.ggml.add_bos_token` says otherwise.
    let addsBOSByDefault: Bool
    /// The family has no BOS token unless `tokenizer.ggml.bos_token_id` names one.
    let hasNoDefaultBOS: Bool

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value; nil (key absent) means llama.cpp's "default".
    init(name: String?) throws(TokenizerError) {
        let name = name ?? "default"
        guard let entry = Self.byName[name] else { throw .unsupportedPreTokenizer(name) }
        self.name = name
        rules = entry.family.rules
        cleansSpaces = entry.cleansSpaces
        ignoresMerges = entry.ignoresMerges
        addsBOSByDefault = entry.addsBOS
        hasNoDefaultBOS = entry.noBOS
    }

    /// Every `tokenizer.ggml.pre` value Tern implements, sorted.
    public static var supportedNames: [String] { byName.keys.sorted() }

    /// Cuts `text` (one fragment) into words; returns the end index of each word, in order.
    func split(_ text: CodepointText) -> [Int32] {
        var pieces: [Int32] = text.codepoints.isEmpty ? [] : [Int32(text.codepoints.count)]
        var next: [Int32] = []
        for rule in rules {
            next.removeAll(keepingCapacity: true)
            next.reserveCapacity(text.codepoints.count / 3)
            var start = 0
            for end in pieces {
                rule.split(text, from: start, to: Int(end), into: &next)
                start = Int(end)
            }
            swap(&pieces, &next)
        }
        return pieces
    }

    enum Family {
        case `default`, falcon, gpt2, digitsThenGPT2, llama3, qwen2, qwen35, deepSeekV3

        var rules: [SplitRule] {
            switch self {
            case .default: [.punctuationRuns(withBacktick: false), .gpt2, .numberRuns, .asciiDigitTriples]
            case .falcon: [.punctuationRuns(withBacktick: true), .gpt2, .asciiDigitTriples]
            case .gpt2: [.gpt2]
            case .digitsThenGPT2: [.singleNumbers, .gpt2]
            case .llama3: [.llama3]
            case .qwen2: [.qwen2]
            case .qwen35: [.qwen35]
            case .deepSeekV3: [.numberTriples, .hanAndKana, .deepSeekV3]
            }
        }
    }

    private struct Entry {
        var family: Family
        var cleansSpaces: Bool
        var ignoresMerges = false
        var addsBOS = false
        var noBOS = false
    }

    private static let byName: [String: Entry] = {
        var table: [String: Entry] = [:]
        func add(_ names: [String], _ entry: Entry) { for n in names { table[n] = entry } }
        add(["default"], Entry(family: .default, cleansSpaces: true))
        add(["falcon"], Entry(family: .falcon, cleansSpaces: true))
        add(["gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
             "modern-bert", "exaone4", "mpt", "olmo", "jais"], Entry(family: .gpt2, cleansSpaces: true))
        add(["trillion", "granite-docling"], Entry(family: .gpt2, cleansSpaces: false))
        add(["starcoder", "refact", "exaone", "minerva-7b", "codeshell"], Entry(family: .digitsThenGPT2, cleansSpaces: true))
        add(["smollm", "command-r", "mellum2"], Entry(family: .digitsThenGPT2, cleansSpaces: false))
        add(["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano"],
            Entry(family: .llama3, cleansSpaces: true, ignoresMerges: true, addsBOS: true))
        add(["dbrx", "smaug-bpe"], Entry(family: .llama3, cleansSpaces: true))
        add(["glm4", "chatglm-bpe"], Entry(family: .llama3, cleansSpaces: true, noBOS: true))
        add(["qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "solar-open", "grok-2"],
            Entry(family: .qwen2, cleansSpaces: false))
        add(["stablelm2", "megrez"], Entry(family: .qwen2, cleansSpaces: true))
        add(["qwen35"], Entry(family: .qwen35, cleansSpaces: false))
        add(["deepseek-v3", "hunyuan-dense", "joyai-llm"], Entry(family: .deepSeekV3, cleansSpaces: false))
        return table
    }()
}

/// A fragment's code points and their flags, as the split rules read them.
struct CodepointText {
    let codepoints: UnsafeBufferPointer<UInt32>
    let flags: UnsafeBufferPointer<CodepointFlags>
}
