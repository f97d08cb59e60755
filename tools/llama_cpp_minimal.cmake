# The llama.cpp build of `make install-llm` (the llm extra). llama-cpp-python's CMakeLists.txt forces on
# llama.cpp's "common" library (the helpers of llama.cpp's own programs: arguments, chat templates, an HTTP
# client), which the Python package never loads: it loads libllama and libggml* only. This file is given to
# CMake as CMAKE_PROJECT_llama.cpp_INCLUDE_BEFORE, so it runs after that forcing and before llama.cpp reads
# the option, and turns it off again: 57 of the 127 objects of the build are not compiled.
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "llama: build common utils library" FORCE)
