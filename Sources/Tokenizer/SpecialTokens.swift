/// The ids of the vocabulary's special tokens; nil where the model has none.
public struct SpecialTokens: Sendable, Equatable {
    /// Beginning of sequence, added at the start when the vocabulary says so.
    public var bos: TokenID?
    /// End of sequence.
    public var eos: TokenID?
    /// End of turn (`<|im_end|>`, `<end_of_turn>`, `<|eot_id|>`, …).
    public var eot: TokenID?
    /// End of message (`<|eom_id|>`).
    public var eom: TokenID?
    /// Stands for text the vocabulary cannot spell (SentencePiece).
    public var unknown: TokenID?
    public var separator: TokenID?
    public var padding: TokenID?
    public var mask: TokenID?
    /// Fill-in-the-middle markers: prefix, suffix, middle, padding, repository name, file separator.
    public var fimPrefix: TokenID?
    public var fimSuffix: TokenID?
    public var fimMiddle: TokenID?
    public var fimPad: TokenID?
    public var fimRepo: TokenID?
    public var fimSeparator: TokenID?

    /// Each id's GGUF key, in the order llama.cpp reads them (the deprecated FIM keys last, so they win).
    /// (Key paths are immutable values, so sharing them is safe.)
    nonisolated(unsafe) static let keys: [(String, WritableKeyPath<SpecialTokens, TokenID?>)] = [
        ("tokenizer.ggml.bos_token_id", \.bos),
        ("tokenizer.ggml.eos_token_id", \.eos),
        ("tokenizer.ggml.eot_token_id", \.eot),
        ("tokenizer.ggml.eom_token_id", \.eom),
        ("tokenizer.ggml.unknown_token_id", \.unknown),
        ("tokenizer.ggml.seperator_token_id", \.separator),  // sic: the key is spelled this way
        ("tokenizer.ggml.padding_token_id", \.padding),
        ("tokenizer.ggml.mask_token_id", \.mask),
        ("tokenizer.ggml.fim_pre_token_id", \.fimPrefix),
        ("tokenizer.ggml.fim_suf_token_id", \.fimSuffix),
        ("tokenizer.ggml.fim_mid_token_id", \.fimMiddle),
        ("tokenizer.ggml.fim_pad_token_id", \.fimPad),
        ("tokenizer.ggml.fim_rep_token_id", \.fimRepo),
        ("tokenizer.ggml.fim_sep_token_id", \.fimSeparator),
        ("tokenizer.ggml.prefix_token_id", \.fimPrefix),
        ("tokenizer.ggml.suffix_token_id", \.fimSuffix),
        ("tokenizer.ggml.middle_token_id", \.fimMiddle),
    ]

    /// Token texts that mark a token as one of these when the file does not say (llama.cpp's lists),
    /// each tried only while the id is still unknown. Where several texts of a list are in the
    /// vocabulary, the one listed first wins (llama.cpp takes whichever its hash map yields first).
    nonisolated(unsafe) static let textsByRole: [(WritableKeyPath<SpecialTokens, TokenID?>, [String])] = [
        (\.eot, ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
                 "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>"]),
        (\.eom, ["<|eom_id|>"]),
        (\.fimPrefix, ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
                       "<|code_prefix|>", "<|prefix|>"]),
        (\.fimSuffix, ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
                       "<|code_suffix|>", "<|suffix|>"]),
        (\.fimMiddle, ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
                       "<|code_middle|>", "<|middle|>"]),
        (\.fimPad, ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]),
        (\.fimRepo, ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]),
        (\.fimSeparator, ["<|file_sep|>"]),
    ]

    /// Token texts that end generation wherever they appear in a vocabulary (llama.cpp's list).
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    ]
}
