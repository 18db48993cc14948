// llama.cpp's side of Tern's tokenizer comparisons, linked against libllama (vocabulary only).
//
//   llama-tokenizer corpus MODEL TEXTS.bin   ids of each text, for generate-corpus.py
//   llama-tokenizer bench MODEL FILE RUNS    median time to tokenize FILE, for run-benchmark
//
// corpus input: texts as (uint32 little-endian length, bytes)*. Output, one line per text and mode:
// index, mode (P = special parsing on, N = off), ids, then hex of llama_detokenize(ids) with
// (remove_special=false, unparse_special=true) and with (true, false), tab-separated.
// Both modes tokenize with add_special=true.
#include "llama.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

static std::string read_file(const char * path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

static std::vector<llama_token> tokenize(const llama_vocab * vocab, const std::string & text, bool parse_special) {
    std::vector<llama_token> ids(text.size() + 8);
    int32_t n = llama_tokenize(vocab, text.data(), (int32_t) text.size(), ids.data(), (int32_t) ids.size(), true, parse_special);
    if (n < 0) {
        ids.resize(-n);
        n = llama_tokenize(vocab, text.data(), (int32_t) text.size(), ids.data(), (int32_t) ids.size(), true, parse_special);
    }
    ids.resize(n);
    return ids;
}

static std::string detokenize(const llama_vocab * vocab, const std::vector<llama_token> & ids, bool remove, bool unparse) {
    std::string text(ids.size() * 16 + 16, '\0');
    int32_t n = llama_detokenize(vocab, ids.data(), (int32_t) ids.size(), text.data(), (int32_t) text.size(), remove, unparse);
    if (n < 0) {
        text.resize(-n);
        n = llama_detokenize(vocab, ids.data(), (int32_t) ids.size(), text.data(), (int32_t) text.size(), remove, unparse);
    }
    text.resize(n);
    return text;
}

static std::string hex(const std::string & bytes) {
    static const char * digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

static void corpus(const llama_vocab * vocab, const std::string & data) {
    size_t offset = 0;
    for (int index = 0; offset + 4 <= data.size(); ++index) {
        uint32_t length = 0;
        memcpy(&length, data.data() + offset, 4);
        const std::string text = data.substr(offset + 4, length);
        offset += 4 + length;
        for (bool parse : { true, false }) {
            const auto ids = tokenize(vocab, text, parse);
            printf("%d\t%c\t", index, parse ? 'P' : 'N');
            for (size_t i = 0; i < ids.size(); ++i) {
                printf(i ? " %d" : "%d", ids[i]);
            }
            printf("\t%s\t%s\n", hex(detokenize(vocab, ids, false, true)).c_str(), hex(detokenize(vocab, ids, true, false)).c_str());
        }
    }
}

static void bench(const llama_vocab * vocab, const std::string & text, int runs) {
    std::vector<double> seconds;
    size_t count = 0;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        count = tokenize(vocab, text, true).size();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    printf("%zu bytes, %zu tokens, median %.4f s, %.2f MB/s\n", text.size(), count, median, text.size() / median / 1e6);
}

int main(int argc, char ** argv) {
    const bool is_corpus = argc == 4 && strcmp(argv[1], "corpus") == 0;
    const bool is_bench = argc == 5 && strcmp(argv[1], "bench") == 0;
    if (!is_corpus && !is_bench) {
        fprintf(stderr, "usage: %s corpus MODEL TEXTS.bin | bench MODEL FILE RUNS\n", argv[0]);
        return 1;
    }
    llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model_params params = llama_model_default_params();
    params.vocab_only = true;
    llama_model * model = llama_model_load_from_file(argv[2], params);
    if (!model) {
        fprintf(stderr, "cannot load %s\n", argv[2]);
        return 1;
    }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    if (is_corpus) {
        corpus(vocab, read_file(argv[3]));
    } else {
        bench(vocab, read_file(argv[3]), std::max(1, atoi(argv[4])));
    }
    llama_model_free(model);
    return 0;
}
