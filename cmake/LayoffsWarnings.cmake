# layoffs_set_warnings(<target>): the project's warning set, clean on g++ 12 and clang 14.
function(layoffs_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wcast-align -Wunused -Woverloaded-virtual
                                             # Our structs are meant for C++20 designated
                                             # initializers ({.company = id, .headcount = h}),
                                             # and every member has a default; g++ 12 still
                                             # warns about each member left out.
                                             -Wno-missing-field-initializers)
    if(LAYOFFS_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
