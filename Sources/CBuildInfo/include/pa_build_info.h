#ifndef PA_BUILD_INFO_H
#define PA_BUILD_INFO_H

/// The commit the binary was built from: `commit.h`, written by scripts/install and scripts/package-deb
/// (git-ignored), else "unknown".
const char *pa_build_commit(void);

#endif
