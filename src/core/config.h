/*
 * config.h - the one place that selects the POSIX feature set.
 * Included first by every .c file.
 */
#ifndef LEAKSCAN_FEATURES_CONFIG_H
#define LEAKSCAN_FEATURES_CONFIG_H

/* POSIX.1-2008 with the XSI extension (realpath, lstat's S_IFLNK...) */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#endif
