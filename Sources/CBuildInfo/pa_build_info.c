#include "pa_build_info.h"

/* scripts/install and scripts/package-deb write commit.h (git-ignored) before building. */
#if __has_include("commit.h")
#include "commit.h"
#endif

#ifndef PA_BUILD_COMMIT
#define PA_BUILD_COMMIT "unknown"
#endif

const char *pa_build_commit(void) { return PA_BUILD_COMMIT; }
