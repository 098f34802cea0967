/* SPDX-License-Identifier: MIT */
/* Inherited descriptors told apart: only a listening or a connected TCP socket passes as
 * one, and nothing about the descriptor changes by being looked at. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "net/socket_check.h"
#include "tcp_trio.h"
#include "unit_test.h"

static void
test_tcp_sockets_pass_as_what_they_are(void **state)
{
    struct tcp_trio t;
    char name[64];
    int port;

    (void)state;
    assert_int_equal(trio_open(&t, AF_INET), 0);
    assert_int_equal(net_socket_check(t.listener, true), 0);
    assert_int_equal(net_socket_check(t.listener, false), -ENOTCONN);
    assert_int_equal(net_socket_check(t.server, false), 0);
    assert_int_equal(net_socket_check(t.client, false), 0);
    assert_int_equal(net_socket_check(t.server, true), -EINVAL);
    assert_int_equal(net_socket_peer_name(t.server, name, sizeof(name)), 0);
    assert_int_equal(sscanf(name, "127.0.0.1:%d", &port), 1);
    assert_true(port > 0);
    assert_int_equal(net_socket_peer_name(t.listener, name, sizeof(name)), -ENOTCONN);
    trio_close(&t);

    /* IPv6 where the machine has it. */
    if (trio_open(&t, AF_INET6) == 0) {
        assert_int_equal(net_socket_check(t.listener, true), 0);
        assert_int_equal(net_socket_peer_name(t.server, name, sizeof(name)), 0);
        assert_int_equal(strncmp(name, "::1:", 4), 0);
    }
    trio_close(&t);
}

static void
test_anything_else_is_refused_untouched(void **state)
{
    char path[] = "/tmp/perch-socket-check-XXXXXX";
    int file = mkstemp(path), pipe_fds[2], pair[2], udp = socket(AF_INET, SOCK_DGRAM, 0);
    int unbound = socket(AF_INET, SOCK_STREAM, 0), flags;

    (void)state;
    assert_true(file >= 0 && pipe(pipe_fds) == 0 && udp >= 0 && unbound >= 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
    unlink(path);
    flags = fcntl(file, F_GETFD);

    assert_int_equal(net_socket_check(file, false), -ENOTSOCK);
    assert_int_equal(net_socket_check(file, true), -ENOTSOCK);
    assert_int_equal(net_socket_check(pipe_fds[1], false), -ENOTSOCK);
    assert_int_equal(net_socket_check(udp, false), -EPROTOTYPE);
    assert_int_equal(net_socket_check(pair[0], false), -EAFNOSUPPORT);
    assert_int_equal(net_socket_check(pair[0], true), -EAFNOSUPPORT);
    assert_int_equal(net_socket_check(unbound, false), -ENOTCONN);
    assert_int_equal(net_socket_check(unbound, true), -EINVAL);
    assert_int_equal(net_socket_check(-1, false), -EBADF);
    assert_int_equal(net_socket_check(100000, true), -EBADF);
    /* Looked at, not changed: the file keeps its flags and takes writes. */
    assert_int_equal(fcntl(file, F_GETFD), flags);
    assert_int_equal(write(file, "x", 1), 1);

    /* Nothing here is a connection accepted on a local socket. */
    assert_int_equal(net_socket_check_local(pair[0], "/run/x.sock"), -EADDRNOTAVAIL);
    assert_int_equal(net_socket_check_local(pair[0], ""), -EADDRNOTAVAIL);
    assert_int_equal(net_socket_check_local(pipe_fds[1], "/run/x.sock"), -ENOTSOCK);
    assert_int_equal(net_socket_check_local(udp, "/run/x.sock"), -EPROTOTYPE);

    close(file);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    close(pair[0]);
    close(pair[1]);
    close(udp);
    close(unbound);
}

/* The control socket: a connection accepted on it passes for its path, and only there. */
static void
test_only_a_connection_accepted_on_the_path_passes(void **state)
{
    char dir[] = "/tmp/perch-socket-check-XXXXXX", path[64], other[64];
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int listener = socket(AF_UNIX, SOCK_STREAM, 0), client = socket(AF_UNIX, SOCK_STREAM, 0);
    int unconnected = socket(AF_UNIX, SOCK_STREAM, 0), accepted;
    struct tcp_trio t;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/control.sock", dir);
    snprintf(other, sizeof(other), "%s/other.sock", dir);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    assert_int_equal(bind(listener, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_int_equal(connect(client, (struct sockaddr *)&sa, sizeof(sa)), 0);
    accepted = accept(listener, NULL, NULL);
    assert_true(accepted >= 0);

    assert_int_equal(net_socket_check_local(accepted, path), 0);
    assert_int_equal(net_socket_check_local(accepted, other), -EADDRNOTAVAIL);
    assert_int_equal(net_socket_check_local(accepted, ""), -EADDRNOTAVAIL);
    /* The connecting end has no address; the listener and a fresh socket no peer. */
    assert_int_equal(net_socket_check_local(client, path), -EADDRNOTAVAIL);
    assert_int_equal(net_socket_check_local(listener, path), -ENOTCONN);
    assert_int_equal(net_socket_check_local(unconnected, path), -ENOTCONN);
    /* A TCP connection is not a local one. */
    assert_int_equal(trio_open(&t, AF_INET), 0);
    assert_int_equal(net_socket_check_local(t.server, path), -EAFNOSUPPORT);
    trio_close(&t);

    close(accepted);
    close(client);
    close(listener);
    close(unconnected);
    unlink(path);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_sockets_pass_as_what_they_are),
        cmocka_unit_test(test_anything_else_is_refused_untouched),
        cmocka_unit_test(test_only_a_connection_accepted_on_the_path_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
