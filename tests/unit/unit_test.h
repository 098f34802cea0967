/* SPDX-License-Identifier: MIT */
/* cmocka needs these headers before its own, in this order. */
#ifndef PERCH_TESTS_UNIT_TEST_H
#define PERCH_TESTS_UNIT_TEST_H

/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#endif
