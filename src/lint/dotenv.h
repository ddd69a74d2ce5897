/*
 * dotenv.h - which files are .env files (private to src/lint/).
 */
#ifndef LEAKSCAN_LINT_DOTENV_H
#define LEAKSCAN_LINT_DOTENV_H

#include "leakscan/lint.h"

extern const struct leakscan_check dotenv_checks[];

#endif
