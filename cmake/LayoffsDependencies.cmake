# Every dependency comes from the system (Debian's -dev packages); nothing is
# downloaded or vendored, so exactly one SQLite is linked: the system one,
# which Debian's SQLiteCpp also links.
find_package(SQLite3 REQUIRED)
if(NOT TARGET SQLiteCpp)
  find_package(SQLiteCpp REQUIRED)
endif()
if(NOT TARGET spdlog::spdlog)
  find_package(spdlog REQUIRED)
endif()
find_package(Threads REQUIRED)
