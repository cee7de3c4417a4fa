// An ordinary shared library: it exports a function, but no ig symbol.
extern "C" __attribute__((visibility("default"))) int not_a_plugin_answer() { return 42; }
