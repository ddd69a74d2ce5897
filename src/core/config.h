/*
 * config.h - the one place that selects the POSIX feature set.
 * Included first by every .c file.
 */
#ifndef LEAKSCAN_CONFIG_H
#define LEAKSCAN_CONFIG_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#endif
