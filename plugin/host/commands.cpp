#include "commands.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "files.hpp"
#include "plugin_loader.hpp"

namespace mfr::host {
namespace fs = std::filesystem;

namespace {

const char* severity_code(mfr_severity s) {
  static const char* kSeverity[] = {"fatal", "error", "warning", "information"};
  return s >= 0 && s <= MFR_SEVERITY_INFORMATION ? kSeverity[s] : "?";
}

// Prints each issue as one line on stderr (information issues left out), read as structs
// (mfr_import_result_issue, mfr_validation_issue): "location: severity at expression: message",
// the location being "{input}: Line[n] Col[m]" as in the OperationOutcome; `input` names the
// file when the issue names none (session JSON is one unnamed text).
void print_issues(const std::vector<mfr_issue>& issues, const std::string& input = {}) {
  for (const mfr_issue& i : issues) {
    if (i.severity == MFR_SEVERITY_INFORMATION) continue;
    std::string location = *i.source ? std::string(i.source) : input;
    if (i.line) location += (location.empty() ? "" : ": ") + std::string("Line[") + std::to_string(i.line) + "] Col[" +
                            std::to_string(i.column) + "]";
    std::cerr << (location.empty() ? std::string("input") : location) << ": " << severity_code(i.severity);
    if (*i.expression) std::cerr << " at " << i.expression;
    std::cerr << ": " << i.diagnostics << "\n";
  }
}

const char* level_label(mfr_level l) {
  static const char* kNames[] = {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6",
                                 "T7", "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "sacrum"};
  return (l >= 0 && l <= MFR_LEVEL_SACRUM) ? kNames[l] : "?";
}

const char* region_label(mfr_region r) {
  static const char* kNames[] = {"spine", "cervical spine", "thoracic spine", "lumbar spine", "sacrum",
                                 "upper trapezius", "rib cage", "chest wall", "interscapular", "scapular",
                                 "skin of back", "lumbar region", "neck", "shoulder", "other"};
  return (r >= 0 && r <= MFR_REGION_OTHER) ? kNames[r] : "?";
}

void print_session(const Session& s) {
  static const char* kSides[] = {"left", "right", "midline", "bilateral"};
  static const char* kGrades[] = {"none", "mild", "moderate", "marked"};
  static const char* kRelease[] = {"", "released", "partial release", "not released"};
  const mfr_session_info info = s.info();
  std::cout << "Session " << info.id << "  " << (*info.start ? info.start : "(no date)") << "  " << info.patient << "  "
            << info.finding_count << (info.finding_count == 1 ? " finding" : " findings");
  if (info.session_number) std::cout << "  (session " << info.session_number;
  if (info.session_number && info.planned_sessions) std::cout << " of " << info.planned_sessions;
  if (info.session_number) std::cout << ")";
  std::cout << "\n";
  for (const mfr_finding& f : s.findings()) {
    std::string site = f.site_kind == MFR_SITE_VERTEBRA ? level_label(f.level)
                       : f.region == MFR_REGION_OTHER ? std::string(f.region_text)
                                                       : region_label(f.region);
    std::string line = "  " + site;
    line.resize(std::max<std::size_t>(line.size() + 1, 20), ' ');
    line += kSides[f.side];
    line.resize(std::max<std::size_t>(line.size() + 1, 30), ' ');
    line += f.restriction >= 0 ? std::string(kGrades[f.restriction]) + " (" + std::to_string(f.restriction) + ")" : "not graded";
    if (f.pain_nrs >= 0) line += "  pain " + std::to_string(f.pain_nrs) + "/10";
    if (f.pain_vas_mm) line += "  VAS " + std::string(f.pain_vas_mm) + " mm";
    if (f.tender == 1) line += "  tender";
    if (f.released != MFR_RELEASE_UNKNOWN) line += std::string("  ") + kRelease[f.released];
    std::cout << line << "\n";
  }
}

Context open_context(const Api& api, const Common& common, bool needs_system) {
  if (needs_system && common.system.empty())
    throw std::invalid_argument("--system is required: the clinic's identifier system URI, e.g. https://clinic.example/fhir/sessions (or set MFR_IDENTIFIER_SYSTEM).");
  // Reading needs no system of ours; a placeholder keeps the context valid and is never written.
  return Context(api, common.system.empty() ? "urn:mfr-fhir:read-only" : common.system);
}

}  // namespace

void print_session_lines(const Session& s) { print_session(s); }

mfr_format parse_format(const std::string& name) {
  if (name == "collection") return MFR_FORMAT_BUNDLE_COLLECTION;
  if (name == "transaction") return MFR_FORMAT_BUNDLE_TRANSACTION;
  if (name == "ndjson") return MFR_FORMAT_NDJSON;
  throw std::invalid_argument("--format must be collection, transaction or ndjson, not \"" + name + "\".");
}

void write_sessions(const Context& ctx, const std::vector<const Session*>& sessions, const std::string& format,
                    const std::string& out) {
  const mfr_format f = parse_format(format);
  if (f == MFR_FORMAT_NDJSON && !out.empty() && (fs::is_directory(out) || out.back() == '/')) {
    fs::create_directories(out);
    const std::pair<mfr_format, const char*> files[] = {{MFR_FORMAT_NDJSON_PROCEDURES, "Procedure.ndjson"},
                                                        {MFR_FORMAT_NDJSON_OBSERVATIONS, "Observation.ndjson"},
                                                        {MFR_FORMAT_NDJSON_DOCUMENTS, "DocumentReference.ndjson"}};
    for (const auto& [type, name] : files) {
      const std::string text = ctx.export_sessions(sessions, type);
      if (!text.empty()) write_file((fs::path(out) / name).string(), text);
    }
    return;
  }
  const std::string text = ctx.export_sessions(sessions, f);
  if (out.empty()) {
    std::cout << text;
  } else {
    if (fs::path(out).has_parent_path()) fs::create_directories(fs::path(out).parent_path());
    write_file(out, text);
  }
}

bool is_ndjson_file(const std::string& path) {
  return path.size() > 7 && path.compare(path.size() - 7, 7, ".ndjson") == 0;
}

ImportResult import_files(const Context& ctx, const std::vector<std::string>& inputs) {
  std::vector<std::string> texts;
  texts.reserve(inputs.size());
  std::vector<Context::Input> list;
  for (const std::string& file : inputs) texts.push_back(read_file(file));
  for (std::size_t i = 0; i < inputs.size(); ++i)
    list.push_back({fs::path(inputs[i]).filename().string(), texts[i], is_ndjson_file(inputs[i]) ? MFR_INPUT_NDJSON : MFR_INPUT_AUTO});
  ImportResult r = ctx.import_many(list);
  print_issues(r.issues());
  return r;
}

std::vector<Session> sessions_of(const ImportResult& result) {
  std::vector<Session> views;
  for (size_t i = 0; i < result.size(); ++i) views.push_back(result.session(i));
  return views;
}

int run_version(const Common& common) {
  std::cout << "mfr (reference host) " << MFR_VERSION_STRING << ", built for ABI " << MFR_ABI_VERSION << "\n";
  const Api api = load_plugin(common.plugin);
  std::cout << "plugin " << api->version() << " (ABI " << api->abi_version << ") from " << api.source() << "\n";
  return 0;
}

int run_record(const Common& common, const RecordArgs& args) {
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_context(api, common, true);
  std::vector<Session> sessions;
  bool clean = true;
  for (const std::string& file : args.inputs) {
    const std::string text = read_file(file);
    // A file holds one session object.
    Validation issues;
    try {
      // mfr_session_from_json takes one session; say so plainly for an array.
      const std::size_t first = text.find_first_not_of(" \t\r\n");
      if (first != std::string::npos && text[first] == '[')
        throw Error(MFR_ERR_INVALID_ARGUMENT, "the file holds a JSON array; give one session per file");
      sessions.push_back(ctx.session_from_json(text, issues));
    } catch (const Error& e) {
      clean = false;
      std::cerr << file << ": " << e.what() << "\n";
      print_issues(issues.issues(), file);
    }
  }
  std::vector<const Session*> list;
  for (const Session& s : sessions) list.push_back(&s);
  write_sessions(ctx, list, args.format, args.out);
  std::cerr << "recorded " << sessions.size() << " of " << args.inputs.size() << " sessions as " << args.format
            << (args.out.empty() ? "" : " in " + args.out) << "\n";
  return clean ? 0 : 1;
}

int run_export(const Common& common, const RecordArgs& args) {
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_context(api, common, true);
  const ImportResult result = import_files(ctx, args.inputs);
  const std::vector<Session> views = sessions_of(result);
  std::vector<const Session*> list;
  for (const Session& s : views) list.push_back(&s);
  write_sessions(ctx, list, args.format, args.out);
  std::cerr << "exported " << list.size() << " sessions as " << args.format << (args.out.empty() ? "" : " in " + args.out) << "\n";
  return result.status() == MFR_OK ? 0 : 1;
}

int run_import(const Common& common, const ImportArgs& args) {
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_context(api, common, false);
  const ImportResult result = import_files(ctx, args.inputs);
  for (const Session& s : sessions_of(result)) {
    if (args.json) {
      std::cout << s.to_json() << "\n";
    } else {
      print_session(s);
    }
  }
  const mfr_import_counts c = result.counts();
  std::cerr << "read " << c.resources << " resources from " << args.inputs.size() << " files: " << c.sessions
            << " sessions, " << c.rejected << " rejected, " << c.foreign << " foreign (not skin-rolling records)\n";
  return result.status() == MFR_OK ? 0 : 1;
}

int run_chart(const Common& common, const ChartArgs& args) {
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_context(api, common, false);
  const ImportResult result = import_files(ctx, args.inputs);
  std::vector<Session> views;
  std::vector<std::string> patients;
  for (Session& s : sessions_of(result)) {
    const std::string patient = s.info().patient;
    if (!args.patient.empty() && patient != args.patient) continue;
    if (std::find(patients.begin(), patients.end(), patient) == patients.end()) patients.push_back(patient);
    views.push_back(std::move(s));
  }
  if (views.empty())
    throw std::invalid_argument(args.patient.empty() ? "The input holds no sessions to chart."
                                                     : "The input holds no sessions of " + args.patient + ".");
  if (patients.size() > 1)
    throw std::invalid_argument("The input holds sessions of " + std::to_string(patients.size()) +
                                " patients; choose one with --patient (e.g. --patient " + patients[0] + ").");
  mfr_chart_options options = MFR_CHART_OPTIONS_INIT;
  options.width_px = args.width;
  options.full_spine = args.full_spine ? 1 : 0;
  options.language = args.language.c_str();
  std::vector<const Session*> list;
  for (const Session& s : views) list.push_back(&s);
  const std::string svg = list.size() == 1 ? ctx.chart_session(*list[0], &options) : ctx.chart_course(list, &options);
  if (fs::path(args.out).has_parent_path()) fs::create_directories(fs::path(args.out).parent_path());
  write_file(args.out, svg);
  std::cerr << "charted " << list.size() << (list.size() == 1 ? " session" : " sessions") << " in " << args.out << "\n";
  if (!args.each_dir.empty()) {
    fs::create_directories(args.each_dir);
    for (const Session* s : list) {
      std::string name = s->info().id;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
      write_file((fs::path(args.each_dir) / (name + ".svg")).string(), ctx.chart_session(*s, &options));
    }
    std::cerr << "drew " << list.size() << " spine maps in " << args.each_dir << "\n";
  }
  return result.status() == MFR_OK ? 0 : 1;
}

namespace {

struct Tally {
  std::size_t errors = 0, warnings = 0, resources = 0;
};

// `file:line  Type/id  expression  severity: message`, one line per issue (information left out).
void report_issues(const std::string& file, long line_override, const Validation& validation, Tally& tally) {
  for (const mfr_issue& i : validation.issues()) {
    if (i.severity == MFR_SEVERITY_INFORMATION) continue;
    (i.severity == MFR_SEVERITY_WARNING ? tally.warnings : tally.errors)++;
    const long line = line_override ? line_override : static_cast<long>(i.line);
    std::cout << file << ":" << line << "  " << (*i.resource ? i.resource : "-") << "  "
              << (*i.expression ? i.expression : "-") << "  " << severity_code(i.severity) << ": " << i.diagnostics << "\n";
  }
}

}  // namespace

int run_validate(const Common& common, const ValidateArgs& args) {
  const Api api = load_plugin(common.plugin);
  const Context ctx = open_context(api, common, false);
  const mfr_strictness strictness = args.strict ? MFR_STRICT : MFR_LENIENT;
  Tally tally;
  for (const std::string& file : args.inputs) {
    const bool ndjson = is_ndjson_file(file);
    if (ndjson) {
      // Line by line: memory stays the size of one resource, whatever the file's size.
      std::ifstream in(file, std::ios::binary);
      if (!in) throw std::runtime_error("Cannot read \"" + file + "\".");
      std::string line;
      long line_no = 0;
      while (std::getline(in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        ++tally.resources;
        report_issues(file, line_no, ctx.validate_issues(line, strictness, MFR_INPUT_JSON), tally);
      }
    } else {
      const std::string text = read_file(file);
      ++tally.resources;
      report_issues(file, 0, ctx.validate_issues(text, strictness, MFR_INPUT_JSON), tally);
    }
  }
  std::cerr << args.inputs.size() << (args.inputs.size() == 1 ? " file, " : " files, ") << tally.resources
            << " documents checked (" << (args.strict ? "strict" : "lenient") << "): " << tally.errors << " errors, "
            << tally.warnings << " warnings\n";
  return tally.errors ? 1 : 0;
}

}  // namespace mfr::host
