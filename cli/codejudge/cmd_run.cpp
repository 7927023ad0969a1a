// `codejudge run` and `codejudge languages`.
#include <iostream>

#include "codejudge/judges/language.h"
#include "commands.h"
#include "judge_output.h"

namespace codejudge::cli {
namespace {

constexpr const char* kRunUsage =
    "usage: codejudge run --language L [--time-ms N] [--wall-ms N] [--memory-mb N]\n"
    "                     [--output-kb N] [--processes N] [--stdin FILE] [--cold] SOURCE\n"
    "  compiles SOURCE when the language needs it (inside the sandbox, cached) and runs it once;\n"
    "  prints the sandbox result JSON with a `compile` object (status CE when it did not compile)\n"
    "  languages and their aliases: `codejudge languages`\n";

constexpr const char* kLanguagesUsage = "usage: codejudge languages\n";

}  // namespace

int cmd_run(const Args& args) {
  std::string language, stdin_path, source_path, error;
  sandbox::Limits limits;
  bool warm = true;
  std::vector<flags::Flag> table = {{"--language", "L", "", text_setter(&language)},
                                    {"--stdin", "FILE", "", text_setter(&stdin_path)},
                                    {"--cold", "", "", switch_setter(&warm, false)}};
  add_limit_flags(&table, &limits);
  if (int code = parse_flags(args, table,
                             one_positional(&source_path, "more than one SOURCE given"), kRunUsage);
      code >= 0)
    return code;
  if (language.empty()) return usage_error("--language is required", kRunUsage);
  if (!judges::find_language(language)) {
    return usage_error("unknown language: " + language, kRunUsage);
  }
  if (source_path.empty()) return usage_error("no SOURCE given", kRunUsage);
  judges::Submission submission{language, ""};
  if (!read_text_file(source_path, &submission.code, &error)) return usage_error(error, kRunUsage);
  std::string stdin_data;
  if (!stdin_path.empty() && !read_text_file(stdin_path, &stdin_data, &error)) {
    return usage_error(error, kRunUsage);
  }

  auto judge = make_judge(0, warm);
  if (!judge) return 2;
  judges::Judge::RunOutput output = judge->run(submission, stdin_data, limits);
  nlohmann::json json = server::wire::sandbox_result_json(output.run);
  json["compile"] = server::wire::compile_json(output.compile);
  if (!output.compile.ok) {
    json["status"] = "CE";
    json["message"] = "compile failed";
  }
  std::cout << render(json) << "\n";
  const bool internal = output.compile.ok && output.run.status == sandbox::Status::kInternalError;
  return internal ? 2 : 0;
}

int cmd_languages(const Args& args) {
  if (!args.empty()) {
    if (args[0] == "--help" || args[0] == "-h") {
      std::cout << kLanguagesUsage;
      return 0;
    }
    return usage_error("languages takes no arguments", kLanguagesUsage);
  }
  nlohmann::json list = nlohmann::json::array();
  for (const judges::LanguageInfo& info : judges::available_languages()) {
    list.push_back({{"name", info.name},
                    {"aliases", info.aliases},
                    {"available", info.available},
                    {"version", info.version},
                    {"compile", info.compile_command},
                    {"run", info.run_command}});
  }
  std::cout << render(list, 2) << "\n";
  return 0;
}

}  // namespace codejudge::cli
