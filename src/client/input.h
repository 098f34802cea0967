/* SPDX-License-Identifier: MIT */
/*
 * Line input from a file descriptor, whatever it refers to: a terminal, a pipe or socket,
 * a regular file or a character device such as /dev/null.
 */
#ifndef PERCH_CLIENT_INPUT_H
#define PERCH_CLIENT_INPUT_H

#include <stdbool.h>
#include <uv.h>

struct client_input;

/*
 * One line, without its "\n" or "\r\n" (NUL-terminated; valid during the call). Returns
 * false when the owner cannot take it now: the line is kept, reading pauses, and
 * client_input_resume() offers it again.
 */
typedef bool (*client_input_line_cb)(void *data, const char *line);

/*
 * Starts reading fd as lines on loop. The end of the input (or a read error) only stops
 * the reading: a last line without "\n" is still delivered. A terminal is read only while
 * perch is in its foreground (SIGTTIN is ignored so that a background read fails instead
 * of stopping the process). A descriptor libuv cannot read (a UDP socket, ...) gives no
 * lines. Never returns NULL.
 */
struct client_input *client_input_new(uv_loop_t *loop, int fd, client_input_line_cb on_line,
                                      void *data);
/* Stops delivering lines (and reading) until client_input_resume(). */
void client_input_pause(struct client_input *in);
/* Offers the kept lines again, then reads on; nothing when the input is not paused. */
void client_input_resume(struct client_input *in);
/* Stops for good; the memory goes once libuv has let go of its handles. Accepts NULL. */
void client_input_free(struct client_input *in);

#endif
