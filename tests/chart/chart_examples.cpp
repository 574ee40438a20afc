// Writes the README's example charts: chart_examples <output dir> [language] [width].
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "chart/chart.hpp"
#include "example_sessions.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: chart_examples <output dir> [language] [width]\n";
    return 2;
  }
  const std::string dir = argv[1];
  mfr::chart::ChartOptions options;
  if (argc > 2) options.language = argv[2];
  if (argc > 3) options.width_px = std::atoi(argv[3]);
  std::ofstream(dir + "/spine-map.svg", std::ios::binary)
      << mfr::chart::render_spine_map(mfr::chart_test::first_visit(), options);
  std::ofstream(dir + "/course.svg", std::ios::binary)
      << mfr::chart::render_course(mfr::chart_test::course(), options);
  return 0;
}
