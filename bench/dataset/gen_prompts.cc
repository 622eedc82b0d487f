// Generates a synthetic safeval dataset (JSONL on stdout) for benchmarks:
//   gen_prompts COUNT [SEED]
// Deterministic for a COUNT and SEED (splitmix64, no std distributions). Texts are 8-60 words:
// a question frame plus filler drawn from a Zipf-weighted vocabulary (about 150 common English
// words and 6000 pseudo-words), so shingle statistics resemble real prompts. Topics are
// "[placeholder topic N]" markers: nothing here is a real request. About 1% of prompts are
// exact copies of an earlier one (case and punctuation changed) and 2% near copies (one or two
// words replaced, inserted or deleted). Categories are the AILuminate v1.0 leaves
// (builtin:ailuminate-v1, also top-level nodes of builtin:safeval-v1); intents 20/40/40.
// Built by bench/dataset/run.sh with plain g++; not part of the CMake build.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t bound) { return Next() % bound; }  // bias is irrelevant here

 private:
  uint64_t state_;
};

const char* const kCommon[] = {
    "the",      "a",        "to",      "of",       "and",       "in",         "is",      "it",
    "for",      "that",     "on",      "with",     "as",        "be",         "this",    "my",
    "i",        "you",      "what",    "how",      "can",       "do",         "are",     "at",
    "or",       "from",     "an",      "if",       "about",     "would",      "should",  "could",
    "there",    "their",    "some",    "any",      "when",      "which",      "we",      "they",
    "so",       "but",      "not",     "have",     "has",       "was",        "were",    "will",
    "just",     "more",     "most",    "people",   "someone",   "friend",     "family",  "work",
    "school",   "online",   "home",    "city",     "local",     "safe",       "safely",  "legal",
    "rules",    "history",  "story",   "novel",    "research",  "project",    "class",   "paper",
    "article",  "report",   "policy",  "law",      "company",   "team",       "manager", "doctor",
    "teacher",  "student",  "parent",  "child",    "neighbour", "account",    "message", "email",
    "phone",    "website",  "app",     "video",    "picture",   "money",      "bank",    "card",
    "store",    "car",      "house",   "night",    "day",       "week",       "year",    "time",
    "way",      "thing",    "place",   "question", "answer",    "advice",     "help",    "explain",
    "describe", "write",    "tell",    "show",     "find",      "make",       "get",     "keep",
    "stop",     "avoid",    "protect", "notice",   "report",    "understand", "happen",  "usually",
    "really",   "actually", "general", "specific", "common",    "quick",      "simple",  "detailed",
    "short",    "long",     "best",    "worst",    "first",     "next",       "last",    "other",
    "new"};

const char* const kFrames[] = {"How do people usually",
                               "Can you explain how",
                               "What is the best way to",
                               "For a novel I am writing, describe how",
                               "My friend asked me whether it is possible to",
                               "I am researching for a class paper:",
                               "Write a short story in which someone tries to",
                               "What are the warning signs that someone might",
                               "Is it legal to",
                               "Give me a summary of",
                               "Pretend you are an expert and tell me how to",
                               "Why do so many people"};

const char* const kCategories[] = {
    "vcr", "src", "cse",         "ssh",         "iwp",         "ipv",         "dfm",        "ncr",
    "hte", "prv", "spc/spc_ele", "spc/spc_fin", "spc/spc_hlt", "spc/spc_lgl", "sxc/sxc_prn"};
const char* const kPersonas[] = {"normal", "unskilled", "skilled"};
const char* const kLocales[] = {"en_US", "en_US", "en_US", "en_GB", "fr_FR", "de_DE"};

class Vocabulary {
 public:
  explicit Vocabulary(Rng& rng) {
    for (const char* word : kCommon) words_.push_back(word);
    const char* syllables[] = {"ka", "lo",  "mi",  "ne",  "ru",  "sa",  "ti",  "vo",  "xe",
                               "zu", "bra", "cle", "dro", "fen", "gri", "hol", "jus", "mor"};
    while (words_.size() < 6150) {
      std::string w;
      for (int s = 0, n = 2 + static_cast<int>(rng.Below(3)); s < n; ++s) {
        w += syllables[rng.Below(sizeof syllables / sizeof *syllables)];
      }
      words_.push_back(w);
    }
    // Zipf weights 1/rank, as integers so the draw is exact.
    uint64_t total = 0;
    for (size_t rank = 1; rank <= words_.size(); ++rank)
      cumulative_.push_back(total += 1000000 / rank);
  }

  const std::string& Draw(Rng& rng) const {
    uint64_t r = rng.Below(cumulative_.back());
    size_t lo = 0, hi = cumulative_.size() - 1;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (cumulative_[mid] > r)
        hi = mid;
      else
        lo = mid + 1;
    }
    return words_[lo];
  }

 private:
  std::vector<std::string> words_;
  std::vector<uint64_t> cumulative_;
};

std::vector<std::string> NewText(Rng& rng, const Vocabulary& vocabulary) {
  std::vector<std::string> words = {kFrames[rng.Below(sizeof kFrames / sizeof *kFrames)]};
  size_t length = 8 + rng.Below(53);
  words.push_back("[placeholder topic " + std::to_string(rng.Below(5000)) + "]");
  while (words.size() < length) words.push_back(vocabulary.Draw(rng));
  return words;
}

std::vector<std::string> NearCopy(std::vector<std::string> words, Rng& rng,
                                  const Vocabulary& vocabulary) {
  for (int e = 0, edits = 1 + static_cast<int>(rng.Below(2)); e < edits; ++e) {
    size_t at = 1 + rng.Below(words.size() - 1);
    switch (rng.Below(3)) {
      case 0:
        words[at] = vocabulary.Draw(rng);
        break;
      case 1:
        words.insert(words.begin() + at, vocabulary.Draw(rng));
        break;
      default:
        if (words.size() > 8) words.erase(words.begin() + at);
        break;
    }
  }
  return words;
}

std::string Join(const std::vector<std::string>& words, bool shout) {
  std::string text;
  for (const std::string& w : words) text += (text.empty() ? "" : " ") + w;
  if (shout) {
    for (char& c : text) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    return text + "!!";
  }
  return text + "?";
}

void PrintLine(uint64_t index, const std::string& text, Rng& rng) {
  uint64_t intent_draw = rng.Below(10);
  const char* intent = intent_draw < 2 ? "safe" : intent_draw < 6 ? "harmful" : "adversarial";
  std::printf(
      "{\"id\":\"p%07llu\",\"text\":\"%s\",\"category\":\"%s\",\"intent\":\"%s\","
      "\"persona\":\"%s\",\"locale\":\"%s\"}\n",
      static_cast<unsigned long long>(index), text.c_str(),
      kCategories[rng.Below(sizeof kCategories / sizeof *kCategories)], intent,
      kPersonas[rng.Below(3)], kLocales[rng.Below(sizeof kLocales / sizeof *kLocales)]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_prompts COUNT [SEED]\n");
    return 2;
  }
  uint64_t count = std::strtoull(argv[1], nullptr, 10);
  Rng rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1);
  Vocabulary vocabulary(rng);
  // Recent texts to copy from: a ring, so copies land near (and far from) their originals.
  std::vector<std::vector<std::string>> recent(4096);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t kind = rng.Below(100);
    std::vector<std::string> words;
    bool shout = false;
    if (i >= recent.size() && kind < 1) {
      words = recent[rng.Below(recent.size())];
      shout = true;
    } else if (i >= recent.size() && kind < 3) {
      words = NearCopy(recent[rng.Below(recent.size())], rng, vocabulary);
    } else {
      words = NewText(rng, vocabulary);
    }
    PrintLine(i, Join(words, shout), rng);
    recent[i % recent.size()] = std::move(words);
  }
  return 0;
}
