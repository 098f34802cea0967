/* SPDX-License-Identifier: MIT */
/*
 * Line insertion through the core and the store, without the network: what perchd's
 * history can take when lines come in batches (a flood from a network, a chathistory
 * batch, a burst of inputs). N lines with words drawn by frequency are printed into 100
 * buffers in batches of 1000, each batch one commit as one loop turn makes it, with one
 * search index step between batches (perchd runs one every 5 ms) and every entry written
 * and merged at the end; the time includes that. As in perchd, another thread checkpoints
 * the log into the database every second (without it the log grows for the whole run, and
 * every page is looked up in a log of hundreds of megabytes).
 * Baseline in the same run: the same prints into a core that stores nothing.
 *
 *   ninja -C build bench/store_insert && build/bench/store_insert [N]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "core/core.h"
#include "store/store.h"

#define BUFFERS 100
#define BATCH   1000
#define WORDS   4096
/* Messages made before the clock starts (making them is the load's work, not the store's),
 * as many as gives the index a vocabulary of every word. */
#define MESSAGES 65536

static double
cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Words of 2 to 9 letters; word i drawn about as often as 1/(i+1) (Zipf). */
static char words[WORDS][10];

static void
words_init(unsigned *seed)
{
    for (int i = 0; i < WORDS; i++) {
        int len = 2 + (int)(rand_r(seed) % 8);
        for (int j = 0; j < len; j++)
            words[i][j] = (char)('a' + rand_r(seed) % 26);
        words[i][len] = '\0';
    }
}

static const char *
word_draw(unsigned *seed)
{
    double u = (double)rand_r(seed) / RAND_MAX;
    int i = (int)(WORDS * u * u * u);

    return words[i < WORDS ? i : WORDS - 1];
}

static char *messages[MESSAGES];

static void
message(char *out, size_t size, unsigned *seed)
{
    size_t len = 0;
    int n = 4 + (int)(rand_r(seed) % 12);

    out[0] = '\0';
    for (int i = 0; i < n && len + 11 < size; i++)
        len += (size_t)snprintf(out + len, size - len, i ? " %s" : "%s", word_draw(seed));
}

static void
messages_init(unsigned *seed)
{
    char text[256];

    for (int i = 0; i < MESSAGES; i++) {
        message(text, sizeof(text), seed);
        messages[i] = strdup(text);
    }
}

/* perchd's checkpoint timer: a PASSIVE checkpoint on another thread every second. */
struct checkpointer {
    const char *path;
    atomic_bool stop;
    pthread_t thread;
};

static void *
checkpoint_loop(void *arg)
{
    struct checkpointer *c = arg;

    while (!atomic_load(&c->stop)) {
        for (int i = 0; i < 100 && !atomic_load(&c->stop); i++)
            usleep(10000);
        store_checkpoint(c->path);
    }
    return NULL;
}

struct run {
    double wall, cpu;
};

static struct run
run_once(struct store *st, long n_lines)
{
    struct core *core = core_new(4096, "bench");
    struct core_buffer *buffers[BUFFERS];
    unsigned seed = 7;
    char name[16];
    double wall, cpu;

    if (st) {
        char err[256];
        store_follow(st, core);
        if (store_attach(st, err, sizeof(err)) < 0) {
            fprintf(stderr, "store_insert: %s\n", err);
            exit(1);
        }
    }
    for (int i = 0; i < BUFFERS; i++) {
        int err;
        snprintf(name, sizeof(name), "b%03d", i);
        buffers[i] = core_buffer_open(core, "core", name, CORE_BUFFER_FORMATTED, &err);
    }
    if (st)
        store_commit(st);
    wall = wall_seconds();
    cpu = cpu_seconds();
    for (long done = 0; done < n_lines; done += BATCH) {
        for (long i = done; i < done + BATCH && i < n_lines; i++) {
            struct core_line_spec spec = { .prefix = "nick",
                                           .message = messages[i % MESSAGES],
                                           .y = -1 };
            core_buffer_print(buffers[rand_r(&seed) % BUFFERS], &spec);
        }
        if (st) {
            store_commit(st);
            store_index_step(st);
        }
    }
    while (st && store_index_step(st))
        ;
    struct run r = { wall_seconds() - wall, cpu_seconds() - cpu };
    if (st)
        store_unfollow(st);
    core_free(core);
    return r;
}

int
main(int argc, char **argv)
{
    long n_lines = argc > 1 ? atol(argv[1]) : 1000000;
    char dir[] = "/tmp/perch-store-insert-XXXXXX", path[64], err[256];
    unsigned seed = 1;
    struct store *st;

    log_set_level(LOG_LEVEL_WARN);
    words_init(&seed);
    messages_init(&seed);
    if (n_lines <= 0 || !mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/perch.db", dir);
    st = store_open(path, err, sizeof(err));
    if (!st) {
        fprintf(stderr, "store_insert: %s\n", err);
        return 1;
    }
    struct run base = run_once(NULL, n_lines);
    struct checkpointer cp = { .path = path };
    pthread_create(&cp.thread, NULL, checkpoint_loop, &cp);
    struct run stored = run_once(st, n_lines);
    atomic_store(&cp.stop, true);
    pthread_join(cp.thread, NULL);
    store_close(st);
    for (int i = 0; i < MESSAGES; i++)
        free(messages[i]);
    /* The database and its log (closed: no -wal or -shm left, unless a crash). */
    for (const char *const *ext = (const char *const[]){ "", "-wal", "-shm", NULL }; *ext; ext++) {
        char file[80];
        snprintf(file, sizeof(file), "%s%s", path, *ext);
        unlink(file);
    }
    if (rmdir(dir) < 0)
        fprintf(stderr, "store_insert: could not remove %s\n", dir);

    printf("line insertion through core + store, %ld lines in %d buffers, batches of %d "
           "(one commit each), FTS5 index written and merged\n",
           n_lines, BUFFERS, BATCH);
    printf("  %-36s %12s %12s %12s\n", "", "lines/s", "cpu us/line", "vs base");
    printf("  %-36s %12.0f %12.2f %12s\n", "core only, nothing stored (baseline)",
           (double)n_lines / base.wall, base.cpu * 1e6 / (double)n_lines, "1.00x");
    printf("  %-36s %12.0f %12.2f %11.2fx\n", "stored in SQLite with FTS5",
           (double)n_lines / stored.wall, stored.cpu * 1e6 / (double)n_lines,
           base.wall / stored.wall);
    return 0;
}
