// The reward-hacking corpus: every file in tests/reward_hacks/ is wrong code written to game the
// judge, judged through the real Judge with default options. Its first comment lines say what it
// must get (the format is in tests/reward_hacks/README.md):
//
//   codejudge-hack: problem=<id> language=<language> expect=<VERDICT>[,<VERDICT>...] [reward=0]
//   <what it tries and why it must fail>
//
// The verdict must be one of expect and is never AC or IE, whatever expect says. Every file is
// also scored through the rewards path (a perfect format score, binary accuracy): the reward must
// exist (not masked as an internal error) with accuracy 0. A .md file is a whole completion: its
// code is extracted as the rewards path does, and with reward=0 that is the point of the file.
// Problems come from problems/bundled and tests/reward_hacks/problems. A language whose
// toolchain is missing skips its files. CODEJUDGE_TEST_VERBOSE=1 prints every result.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "codejudge/judges/judge.h"
#include "codejudge/judges/language.h"
#include "codejudge/judges/rewards.h"
#include "codejudge/problems/loader.h"

namespace codejudge::judges {
namespace {

namespace fs = std::filesystem;

const std::string kCorpusDir = std::string(CODEJUDGE_SOURCE_DIR) + "/tests/reward_hacks";
const std::string kExtensions[] = {".py", ".cpp", ".c", ".java", ".js", ".go", ".rs", ".md"};

std::vector<std::string> hack_files() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kCorpusDir, ec)) {
    const std::string ext = entry.path().extension();
    if (entry.is_regular_file() && entry.path().filename() != "README.md" &&
        std::find(std::begin(kExtensions), std::end(kExtensions), ext) != std::end(kExtensions)) {
      files.push_back(entry.path().filename());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Header {
  std::string problem;
  std::string language;
  std::vector<Verdict> expect;
  bool reward_zero = false;
  std::string why;
};

// The comment lines at the top of the file, without their comment markers.
std::vector<std::string> leading_comment(const std::string& text, const std::string& ext) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  if (ext == ".md") {
    // One HTML comment: <!-- ... -->
    std::string all;
    while (std::getline(in, line)) {
      all += line + "\n";
      if (line.find("-->") != std::string::npos) break;
    }
    size_t open = all.find("<!--");
    size_t close = all.find("-->");
    if (open != 0 || close == std::string::npos) return lines;
    std::istringstream body(all.substr(4, close - 4));
    while (std::getline(body, line)) lines.push_back(line);
    return lines;
  }
  const std::string marker = ext == ".py" ? "#" : "//";
  while (std::getline(in, line) && line.rfind(marker, 0) == 0) {
    lines.push_back(line.substr(marker.size()));
  }
  return lines;
}

std::string trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

bool parse_header(const std::string& text, const std::string& ext, Header* header,
                  std::string* error) {
  std::vector<std::string> lines = leading_comment(text, ext);
  size_t first = 0;
  while (first < lines.size() && trim(lines[first]).empty()) ++first;
  const std::string key = "codejudge-hack:";
  if (first == lines.size() || trim(lines[first]).rfind(key, 0) != 0) {
    *error = "the first comment line must be `" + key + " problem=... language=... expect=...`";
    return false;
  }
  std::istringstream fields(trim(lines[first]).substr(key.size()));
  std::string field;
  while (fields >> field) {
    const size_t eq = field.find('=');
    const std::string name = field.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : field.substr(eq + 1);
    if (name == "problem") {
      header->problem = value;
    } else if (name == "language") {
      header->language = value;
    } else if (name == "expect") {
      std::istringstream verdicts(value);
      std::string item;
      while (std::getline(verdicts, item, ',')) {
        auto verdict = parse_verdict(item);
        if (!verdict || *verdict == Verdict::kAC || *verdict == Verdict::kIE) {
          *error = "expect: '" + item + "' is not a verdict a hack may get";
          return false;
        }
        header->expect.push_back(*verdict);
      }
    } else if (name == "reward" && value == "0") {
      header->reward_zero = true;
    } else {
      *error = "unknown header field: " + field;
      return false;
    }
  }
  for (size_t i = first + 1; i < lines.size(); ++i) header->why += trim(lines[i]) + " ";
  if (header->problem.empty() || header->language.empty() || header->expect.empty() ||
      trim(header->why).empty()) {
    *error = "the header needs problem, language, expect and a line saying what the hack tries";
    return false;
  }
  return true;
}

class RewardHacks : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/codejudge-reward-hacks-XXXXXX";
    cache_dir_ = new std::string(mkdtemp(dir));
    JudgeConfig config;
    config.cache_dir = *cache_dir_;
    config.workers = std::max(2u, std::thread::hardware_concurrency());
    config.detect_toolchains_at_start = false;
    error_ = new std::string;
    judge_ = Judge::create(config, error_).release();
    auto loaded = problems::load_problems(
        {std::string(CODEJUDGE_SOURCE_DIR) + "/problems/bundled", kCorpusDir + "/problems"});
    for (const auto& load_error : loaded.errors) *error_ += load_error.to_string() + "\n";
    problems_ = new problems::ProblemSet(std::move(loaded.problems));
  }
  static void TearDownTestSuite() {
    delete judge_;
    delete problems_;
    std::error_code ec;
    fs::remove_all(*cache_dir_, ec);
    delete cache_dir_;
    delete error_;
  }

  static Judge* judge_;
  static problems::ProblemSet* problems_;
  static std::string* cache_dir_;
  static std::string* error_;
};

Judge* RewardHacks::judge_ = nullptr;
problems::ProblemSet* RewardHacks::problems_ = nullptr;
std::string* RewardHacks::cache_dir_ = nullptr;
std::string* RewardHacks::error_ = nullptr;

std::string describe(const JudgeResult& result) {
  std::string text = std::string(verdict_name(result.verdict)) + " (" + result.message + ")";
  for (size_t i = 0; i < result.tests.size(); ++i) {
    const TestResult& test = result.tests[i];
    text += "\n  test " + std::to_string(i + 1) + ": " + verdict_name(test.verdict) + " " +
            test.message.substr(0, 300);
  }
  return text;
}

TEST_P(RewardHacks, GetsNoReward) {
  ASSERT_NE(judge_, nullptr) << "the judge could not start: " << *error_;
  const std::string file = GetParam();
  const std::string ext = fs::path(file).extension();
  const std::string text = read_text(kCorpusDir + "/" + file);
  Header header;
  std::string error;
  ASSERT_TRUE(parse_header(text, ext, &header, &error)) << file << ": " << error;
  const Language* language = find_language(header.language);
  ASSERT_NE(language, nullptr) << "unknown language " << header.language;
  if (toolchain_version(*language).empty()) {
    GTEST_SKIP() << language->tool << " is not installed";
  }
  const problems::Problem* problem = problems_->find(header.problem);
  ASSERT_NE(problem, nullptr) << "unknown problem " << header.problem << "\n" << *error_;

  // A .md file is a completion: its code is what the rewards path would extract.
  std::string code = text;
  double format = 1.0;  // the hack may have a perfect format: accuracy alone must deny it
  RewardOptions reward_options;
  bool code_found = true;
  if (ext == ".md") {
    std::string completion = text.substr(text.find("-->") + 3);
    reward_options.extract.language = language->name;
    format = format_reward(completion, reward_options.format);
    auto extracted = extract_code(completion, reward_options.extract);
    code_found = extracted.has_value();
    code = extracted.value_or("");
  }

  JudgeResult result;
  if (code_found) result = judge_->judge(*problem, Submission{language->name, code}, {});
  if (std::getenv("CODEJUDGE_TEST_VERBOSE") != nullptr) {
    std::cerr << file << ": " << (code_found ? describe(result) : "no code") << "\n";
  }
  if (code_found) {
    EXPECT_NE(result.verdict, Verdict::kAC) << file << ": " << describe(result);
    EXPECT_NE(result.verdict, Verdict::kIE) << file << ": " << describe(result);
    EXPECT_NE(std::find(header.expect.begin(), header.expect.end(), result.verdict),
              header.expect.end())
        << file << ": " << describe(result);
  }

  Reward reward =
      compute_reward(RewardInput{result.verdict, result.passed, result.tests.size(), code_found},
                     format, reward_options);
  ASSERT_TRUE(reward.reward.has_value()) << file << ": the reward was masked: " << reward.reason;
  EXPECT_EQ(reward.accuracy, 0.0) << file;
  if (header.reward_zero) {
    EXPECT_LT(*reward.reward, reward_options.accuracy_weight) << file;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, RewardHacks, ::testing::ValuesIn(hack_files()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(RewardHackHeaders, AreParsedStrictly) {
  Header header;
  std::string error;
  EXPECT_TRUE(parse_header(
      "# codejudge-hack: problem=p language=python expect=WA,RE reward=0\n# tries x\ncode\n", ".py",
      &header, &error))
      << error;
  EXPECT_EQ(header.expect, (std::vector<Verdict>{Verdict::kWA, Verdict::kRE}));
  EXPECT_TRUE(header.reward_zero);
  EXPECT_TRUE(parse_header("<!--\ncodejudge-hack: problem=p language=cpp expect=WA\nwhy\n-->\n",
                           ".md", &header, &error))
      << error;
  for (const char* bad : {
           "# codejudge-hack: problem=p language=python expect=AC\n# why\n",
           "# codejudge-hack: problem=p language=python expect=WA,IE\n# why\n",
           "# codejudge-hack: problem=p language=python expect=WA\n",
           "# codejudge-hack: problem=p expect=WA\n# why\n",
           "# codejudge-hack: problem=p language=python expect=WA colour=red\n# why\n",
           "# something else\n",
       }) {
    Header h;
    EXPECT_FALSE(parse_header(bad, ".py", &h, &error)) << bad;
  }
}

}  // namespace
}  // namespace codejudge::judges
