#ifndef PA_BUILD_INFO_H
#define PA_BUILD_INFO_H

/// The commit the binary was built from: `-Xcc -DPA_BUILD_COMMIT='"…"'` (scripts/install and
/// scripts/package-deb pass it), else "unknown".
const char *pa_build_commit(void);

#endif
