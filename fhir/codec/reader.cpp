#include "codec/reader.hpp"

namespace mfr::codec {

std::string join_path(std::string_view path, std::string_view key) {
  std::string out;
  out.reserve(path.size() + key.size() + 1);
  out.append(path).append(".").append(key);
  return out;
}

const json::Value* Reader::member(const json::Value& object, std::string_view key, json::Type type,
                                  std::string_view path) {
  const json::Value* v = object.find(key);
  if (!v) return nullptr;
  if (v->type() != type) {
    error(join_path(path, key),
          "'" + std::string(key) + "' must be a JSON " + std::string(json::type_name(type)) + ", not " +
              std::string(json::type_name(v->type())) + ".",
          v);
    return nullptr;
  }
  return v;
}

std::optional<std::string> Reader::string(const json::Value& object, std::string_view key, std::string_view path) {
  if (const json::Value* v = member(object, key, json::Type::String, path)) return std::string(v->as_string());
  return std::nullopt;
}

const json::Array* Reader::array(const json::Value& object, std::string_view key, std::string_view path) {
  if (const json::Value* v = member(object, key, json::Type::Array, path)) return &v->as_array();
  return nullptr;
}

}  // namespace mfr::codec
