// Provides std::ios_base_library_init() for hosts whose libstdc++ predates GCC 13.
// GCC 13 emits a call to it from <iostream> (GLIBCXX_3.4.32); its whole job is to
// make sure the standard streams are constructed, which a static Init object does.
#include <ios>

namespace std {
void ios_base_library_init()
{
    static ios_base::Init init;
}
}
