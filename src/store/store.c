/* store.c - placeholder until the module lands. */
typedef int gg_placeholder_store;
