#include "pa_build_info.h"

#ifndef PA_BUILD_COMMIT
#define PA_BUILD_COMMIT "unknown"
#endif

const char *pa_build_commit(void) { return PA_BUILD_COMMIT; }
