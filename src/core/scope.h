/* scope.h - org-subtree scopes as materialised paths ("/1/5/23/").
 * A scope covers a node when the node's path starts with the scope's path. */
#ifndef GG_CORE_SCOPE_H
#define GG_CORE_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool scope_covers(const char *scope_path, const char *path);
/* Fills upper[sz] with the smallest string greater than every string that starts with prefix,
 * so that "path >= prefix AND path < upper" is an index range for the subtree. */
void scope_upper_bound(const char *prefix, char *upper, size_t sz);
/* Parses the ids of a path into ids[max]; returns how many. */
size_t scope_path_ids(const char *path, int64_t *ids, size_t max);

#endif
